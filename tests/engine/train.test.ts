/** The training suite in-process (Node, CPU kernels). */
import { createNodeEngine } from '../../workers/engine.node';
import { inProcessClient } from '../support/engine-harness';
import { trainSuite } from './train-suite';

trainSuite('in-process, Node', () => inProcessClient(createNodeEngine()));

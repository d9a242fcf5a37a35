import { createContext, useContext } from 'solid-js';
import type { Workbench } from '../state/workbench';

export const WorkbenchContext = createContext<Workbench>();

export function useWorkbench(): Workbench {
  const wb = useContext(WorkbenchContext);
  if (!wb) throw new Error('useWorkbench() outside <WorkbenchContext.Provider>');
  return wb;
}

/**
 * Every module that defines compute-pool kernels (src/core/pool.ts `defineKernel`): a helper thread
 * imports this list so it can run any of them by name. A new kernel module is added here.
 */
import '../src/core/moments';
import '../src/core/project';
import '../src/gpu/kernels/gram/gram.cpu';
import '../src/gpu/kernels/knn/knn.cpu';
import '../src/models/kmeans-kernels';
import '../src/models/logistic-kernels';
import '../src/models/mlp-kernels';

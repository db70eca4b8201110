export { ArrayDataset, SamplerDataset, isImageDataset, type Dataset, type BatchOptions } from './dataset.js';
export { toyDataset, TOY_DATASETS, type ToyName } from './toy2d.js';
export { parseIdx, readIdx, encodeIdxUint8, type IdxArray } from './idx.js';
export { loadMnist, mnistDataDir, type MnistOptions } from './mnist.js';
export { loadCifar10, parseCifarBatch, type Cifar10Options } from './cifar10.js';
export { loadImageFolder, decodePng, type ImageFolderOptions } from './image-folder.js';

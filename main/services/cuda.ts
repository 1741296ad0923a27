// NVIDIA's stack as found on disk, for `shirabe doctor` (the command line reaches main/jobs through
// the services only): the probe reads files and asks nvidia-smi, never loads a CUDA library.
export { probeCuda as cudaReport } from '../jobs/compute/cudaProbe';

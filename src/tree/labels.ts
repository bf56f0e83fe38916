// The words for job and cluster states live below both the tree and the watch.
export { clusterStatusLabel, jobStatusLabel } from '../ui/statusLabels';

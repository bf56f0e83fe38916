// Where the watched set is kept (workspaceState): per workspace, so that two windows do not
// both notify. Apart from the watch, so that activation, which does not load the watch, reads
// the very key the watch writes.
export const WATCH_STATE_KEY = 'ehpc.watchedJobs';

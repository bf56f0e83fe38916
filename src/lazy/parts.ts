// What activation does not load: the commands, the forms and prompts, the chat tools'
// implementations and the watch. `npm run build` bundles this into dist/parts.js, loaded on
// first use through load.ts; the modules activation loaded are shared with it, not copied.
export { cancelAction, deleteAction } from '../batch/actions';
export { addAccount, removeAccount, renameAccount } from '../commands/accounts';
export { runClusterPower } from '../commands/clusterPower';
export { copyJobIds } from '../commands/copyJobIds';
export { copyNodeIp } from '../commands/copyNodeIp';
export { changeEndpoint, editZones } from '../commands/editAccount';
export { deleteJobs, deleteSelection } from '../commands/deleteJobs';
export { clearFilter, filterJobs } from '../commands/filterJobs';
export { runJobAction } from '../commands/jobAction';
export { allowIdleWarnings, createIdleGuard } from '../commands/idleClusters';
export { loadMore } from '../commands/loadMore';
export { createJobOutputs, downloadJobOutput, forgetHostKeys, openLoginTerminal, openOutput } from '../commands/jobOutput';
export { refresh } from '../commands/refresh';
export { refreshJobDetails, showJobDetails } from '../commands/showJobDetails';
export { signIn } from '../commands/signIn';
export { signOut } from '../commands/signOut';
export { resubmitJob, submitJob } from '../commands/submitJob';
export { runWatchAction, showWatchedJobs, unwatchJobs, watchJobs } from '../commands/watchJobs';
export { createTools, TOOL_NAMES } from '../tools';
export { jobsByMachine, machineItem, queueItem } from '../tree/partItems';
export { jobTooltip } from '../tree/jobTooltip';
export { renderJobDetailPage } from '../ui/jobDetailWords';
export { copyJobDetailPath, registerJobDetailLenses, showEndedJobDetails } from '../ui/jobDetailLenses';
export { vscodePrompts } from '../ui/prompts';
export { JobWatch } from '../watch/jobWatch';
export { vscodeNotifier } from '../watch/notifications';

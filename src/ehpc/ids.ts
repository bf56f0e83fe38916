// The forms of the ids the API takes. The client checks every id against them before it
// sends anything: an id from a URI or a chat model must not turn into another request (a job
// id ".." would make /api/job/jobdetail/.. read as /api/job/).
export const ZONE_ID = /^[a-z0-9-]+$/;
export const CLUSTER_ID = /^(ehpc|hpc)-[a-z0-9]+$/;
/** `hpcjob_uuid`, what deleteJobs and stopJobs take (not the scheduler's integer job_id). */
export const JOB_ID = /^hpcjob-[a-z0-9]+$/;
/** An asynchronous operation, as stopJobs answers. */
export const OPERATION_ID = /^j-[a-z0-9]+$/;
/** A queue of an EHPC cluster (hpcqueue_id), as submitJob takes it. */
export const QUEUE_ID = /^ehpcq-[a-z0-9]+$/;

// GET /api/queue/describeQueue: one queue's detail with its load, and where jobs run: a job
// runs on compute nodes of its queue, as many as its cores need, from a node picked by its
// scheduler id (deterministic, so a test can tell which).
import type { SimQueue } from './accounts';
import type { SimCluster, SimJob } from './data';
import { ApiError, RetCode } from './errors';
import type { SimNode } from './nodes';
import { knownCluster, required, type ApiContext, type ApiRequest } from './request';

/** The compute nodes of `queue`, as listNodes lists them (they follow the queues in order). */
export function queueNodes(cluster: SimCluster, queue: SimQueue): SimNode[] {
  const compute = cluster.nodes.filter((n) => n.role === 'compute');
  let first = 0;
  for (const q of cluster.queues) {
    if (q === queue) {
      return compute.slice(first, first + q.node_info.length);
    }
    first += q.node_info.length;
  }
  return [];
}

/** The job's `job_node_list`: the names of the compute nodes of its queue it takes, as a JSON array in a string. */
export function nodeListOf(cluster: SimCluster, job: SimJob): string {
  const queue = cluster.queues.find((q) => q.partition_name === job.queue_name) ?? cluster.queues[0];
  const nodes = queue ? queueNodes(cluster, queue) : [];
  if (nodes.length === 0) {
    return '[]';
  }
  const count = Math.min(nodes.length, Math.max(1, Math.ceil(job.core_limit / Math.max(1, queue.spec_detail.unit_cpu_num))));
  const first = job.job_id % nodes.length;
  const names = Array.from({ length: count }, (_, k) => nodes[(first + k) % nodes.length].name);
  return JSON.stringify(names);
}

/**
 * The queue's detail as the docs' example shows it, in `detail[0]`. Its load in the example's
 * (LSF-style) fields: `nrun` and `npend` jobs, `nstop` suspended ones (the simulator suspends
 * none), `njobs` their sum; `total_slots` the queue's cores and `avail_slots` those no running
 * job holds (none while the cluster is not active); `avail_mems` / `avail_gpus` in the same
 * share. `free_slots` stays '' as in the example: read `avail_slots`.
 */
export function describeQueue(req: ApiRequest, ctx: ApiContext): object {
  const zone = required(req.query, 'zone');
  const cluster = knownCluster(ctx, zone, required(req.query, 'cluster_id'));
  const id = required(req.query, 'id');
  const queue = cluster.queues.find((q) => q.hpcqueue_id === id);
  if (!queue) {
    throw new ApiError(RetCode.NotFound, `queue [${id}] not found in cluster [${cluster.info.cluster_id}]`);
  }
  const jobs = cluster.jobs.filter((j) => j.queue_name === queue.partition_name);
  const running = jobs.filter((j) => j.job_status === 'running');
  const npend = jobs.filter((j) => j.job_status === 'pending').length;
  const spec = queue.spec_detail;
  const nodes = queue.node_info.length;
  const totalSlots = spec.unit_cpu_num * nodes;
  const totalMems = spec.unit_mem_size * nodes;
  const totalGpus = spec.unit_gpu_num * nodes;
  const usedSlots = running.reduce((n, j) => n + j.core_limit, 0);
  const up = cluster.info.cluster_status === 'active';
  const availSlots = up ? Math.max(0, totalSlots - usedSlots) : 0;
  const share = (total: number) => (totalSlots === 0 ? 0 : Math.floor((total * availSlots) / totalSlots));
  return {
    action: 'HpcQueueDescribeQueueResponse',
    ret_code: 0,
    detail: [{
      hpcqueue_id: queue.hpcqueue_id,
      cluster_id: cluster.info.cluster_id,
      name: queue.name,
      scheduler_queue_name: queue.partition_name,
      categories: 'share_queue',
      controller: 'self',
      compute_num: nodes,
      node_num: nodes,
      node_list: nodes === 0 ? null : [...queue.nodelist],
      spec_detail: { ...spec, console_id: queue.console_id, controller: 'self', create_time: queue.create_time, hpcqueue_type_id: '' },
      unit_cpu_num: spec.unit_cpu_num,
      unit_mem_size: spec.unit_mem_size,
      unit_gpu_num: spec.unit_gpu_num,
      total_slots: totalSlots,
      total_mems: totalMems,
      total_gpus: totalGpus,
      avail_slots: availSlots,
      avail_mems: share(totalMems),
      avail_gpus: share(totalGpus),
      free_slots: '',
      njobs: running.length + npend,
      nrun: running.length,
      npend,
      nstop: 0,
      paid_type: '',
      price: 0,
      owner: queue.user_id,
      user_id: queue.user_id,
      user_group: queue.user_group,
      root_user_id: queue.user_id,
      type_id: '',
      create_time: queue.create_time,
      update_time: queue.update_time,
    }],
  };
}

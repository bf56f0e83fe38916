// The users and scheduler queues of each cluster, shaped like GET /api/user and
// GET /api/queue/ehpc/getQueueList items. Derived from the cluster's generated jobs (every
// run_user is a user, every queue_name a queue's partition), so a job read back can be
// submitted again as it was; drawn from their own generator, so adding them left the jobs
// of every seed as they were.
import type { SimClusterInfo, SimJob } from './data';
import { IdMaker, Rng } from './random';

/** A Linux user of a cluster (an item of `users_set`). */
export interface SimUser {
  cluster_id: string;
  username: string;
  user_id: string;
  hpcuser_id: string;
  /** `boss` (the cluster's owner), `admin` or `member`. */
  role: string;
  /** The user's home on the cluster's shared storage. */
  nas_mount_point: string;
  /** Strings, as the docs' example shows them. */
  uid_number: string;
  gid_number: string;
  mod: null;
  create_time: string;
  update_time: string;
}

export interface SimQueueSpec {
  name: string;
  /** Cores a job of this queue may ask for at most (submitJob's core_limit). */
  cpu_num: number;
  /** GB: the docs' example pairs 26 cores with 80. */
  mem_size: number;
  gpu_num: number;
  unit_cpu_num: number;
  unit_mem_size: number;
  unit_gpu_num: number;
}

export interface SimQueueNode {
  name: string;
  server_id: number;
  status: string;
  hpcqueue_id: string;
}

/** A scheduler queue of an EHPC cluster (an item of `hpc_queue_set`). */
export interface SimQueue {
  cluster_id: string;
  hpcqueue_id: string;
  /** A display name: the default queue's is `默认队列`, as in the docs' example. */
  name: string;
  /** The scheduler's name for it: what jobs list as `queue_name`. */
  partition_name: string;
  /** 1 for the one default queue, else 0. */
  default_queue: number;
  spec_detail: SimQueueSpec;
  node_info: SimQueueNode[];
  nodelist: number[];
  transition_status: string;
  user_group: string;
  user_id: string;
  console_id: string;
  create_time: string;
  update_time: string;
}

/** The QingCloud account that owns every simulated cluster (the docs' example id). */
export const OWNER_USER_ID = 'usr-vceaHsJu';
export const DEFAULT_QUEUE_NAME = '默认队列';
export const DEFAULT_PARTITION = 'normal';

/** Members a cluster gets when none of its jobs name one. */
const SPARE_MEMBERS = ['hpcuser', 'zhangsan', 'lisi'];
/** Queues a cluster gets besides the default when none of its jobs name one. */
const SPARE_PARTITIONS = ['gpu', 'short'];

const PARTITION_CORES: Record<string, number> = { normal: 64, gpu: 32, large: 128, debug: 8, short: 16, vis: 16 };

/** Makes the users and queues of clusters, one after the other, from one seed. */
export class AccountMaker {
  private readonly rng: Rng;
  private readonly ids: IdMaker;

  constructor(seed: number) {
    this.rng = new Rng(seed ^ 0xacc0);
    this.ids = new IdMaker(this.rng);
  }

  users(cluster: SimClusterInfo, jobs: readonly SimJob[]): SimUser[] {
    const names = distinct(jobs.map((j) => j.run_user)).filter((n) => n !== 'admin');
    if (names.length === 0) {
      names.push(this.rng.pick(SPARE_MEMBERS));
    }
    const baseUid = this.rng.int(1000, 40000);
    return ['admin', ...names].map((username, i) => ({
      cluster_id: cluster.cluster_id,
      username,
      user_id: OWNER_USER_ID,
      hpcuser_id: this.ids.make('hpcuser'),
      role: i === 0 ? 'boss' : 'member',
      nas_mount_point: `/public/home/${username}`,
      uid_number: String(baseUid + i),
      gid_number: String(baseUid + i),
      mod: null,
      create_time: cluster.create_time,
      update_time: cluster.create_time,
    }));
  }

  queues(cluster: SimClusterInfo, jobs: readonly SimJob[]): SimQueue[] {
    const partitions = distinct([DEFAULT_PARTITION, ...jobs.map((j) => j.queue_name)]);
    if (partitions.length === 1) {
      partitions.push(this.rng.pick(SPARE_PARTITIONS));
    }
    return partitions.map((partition, i) => {
      const id = this.ids.make('ehpcq');
      // Never fewer cores than a job of the queue already asked for.
      const cores = Math.max(PARTITION_CORES[partition] ?? 32, ...jobs.filter((j) => j.queue_name === partition).map((j) => j.core_limit));
      const nodes = Math.max(1, Math.min(cluster.total_node_count, this.rng.int(1, 4)));
      const gpus = partition === 'gpu' ? this.rng.pick([4, 8]) : 0;
      const name = i === 0 ? DEFAULT_QUEUE_NAME : partition;
      const memGb = cores * 4;
      return {
        cluster_id: cluster.cluster_id,
        hpcqueue_id: id,
        name,
        partition_name: partition,
        default_queue: i === 0 ? 1 : 0,
        spec_detail: {
          name,
          cpu_num: cores,
          mem_size: memGb,
          gpu_num: gpus,
          unit_cpu_num: Math.ceil(cores / nodes),
          unit_mem_size: Math.ceil(memGb / nodes),
          unit_gpu_num: Math.ceil(gpus / nodes),
        },
        node_info: Array.from({ length: nodes }, (_, n) => ({ name: `计算节点${n + 1}`, server_id: n + 1, status: 'active', hpcqueue_id: id })),
        nodelist: Array.from({ length: nodes }, (_, n) => n + 1),
        transition_status: '',
        user_group: '',
        user_id: OWNER_USER_ID,
        console_id: 'qingcloud',
        create_time: cluster.create_time,
        update_time: cluster.create_time,
      };
    });
  }
}

function distinct(values: readonly string[]): string[] {
  return [...new Set(values)];
}

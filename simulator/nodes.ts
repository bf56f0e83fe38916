// The nodes of each cluster, as GET /api/cluster/listNodes lists them: one login node, one
// controller, and a compute node for each node of the cluster's queues. The login node's
// addresses are 127.0.0.1: its SSH server runs in the simulator's process (loginNodes.ts).
// Drawn from a generator of their own, so adding them left every seed's jobs as they were.
import type { SimQueue } from './accounts';
import { OWNER_USER_ID } from './accounts';
import type { SimClusterInfo } from './data';
import { IdMaker, Rng } from './random';

export type NodeRole = 'login' | 'controller' | 'compute';

/** An item of `hpc_app_nodes_set`: the fields the docs' example shows that a client may read. */
export interface SimNode {
  node_id: string;
  name: string;
  role: NodeRole;
  status: string;
  health_status: string;
  transition_status: string;
  private_ip: string;
  /** The bound elastic IP; '' when none is bound. */
  eip: string;
  cpu: number;
  cpu_model: string;
  /** MB. */
  memory: number;
  gpu: number;
  gpu_class: number;
  /** The platform's cluster id (`cl-…`), not the EHPC one (`ehpc-…`). */
  cluster_id: string;
  instance_id: string;
  server_id: number;
  group_id: number;
  owner: string;
  root_user_id: string;
  console_id: string;
  hypervisor: string;
  create_time: string;
  status_time: string;
}

/** Where a simulated login node answers: its SSH server, on this machine. */
export const LOGIN_NODE_ADDRESS = '127.0.0.1';

export const LOGIN_NODE_NAME = '登录节点1';
export const CONTROLLER_NODE_NAME = '主控节点1';

/** Makes the nodes of clusters, one after the other, from one seed. */
export class NodeMaker {
  private readonly rng: Rng;
  private readonly ids: IdMaker;

  constructor(seed: number) {
    this.rng = new Rng(seed ^ 0x40de);
    this.ids = new IdMaker(this.rng);
  }

  nodes(cluster: SimClusterInfo, queues: readonly SimQueue[]): SimNode[] {
    const platformId = this.ids.make('cl');
    const active = cluster.cluster_status === 'active';
    const subnet = this.rng.int(0, 255);
    let serverId = 0;
    const node = (role: NodeRole, name: string, size: { cpu: number; memory: number; gpu: number }): SimNode => {
      serverId++;
      const address = `172.20.${subnet}.${serverId + 1}`;
      return {
        node_id: this.ids.make('cln'),
        name,
        role,
        status: active ? 'active' : 'stopped',
        health_status: active ? 'healthy' : '',
        transition_status: '',
        private_ip: role === 'login' ? LOGIN_NODE_ADDRESS : address,
        eip: role === 'login' ? LOGIN_NODE_ADDRESS : '',
        ...size,
        cpu_model: 'CascadeLake',
        gpu_class: size.gpu > 0 ? 1 : 0,
        cluster_id: platformId,
        instance_id: this.ids.make('i'),
        server_id: serverId,
        group_id: role === 'compute' ? 3 : role === 'controller' ? 2 : 1,
        owner: OWNER_USER_ID,
        root_user_id: OWNER_USER_ID,
        console_id: 'qingcloud',
        hypervisor: 'kvm',
        create_time: cluster.create_time,
        status_time: cluster.create_time,
      };
    };
    const nodes = [
      node('login', LOGIN_NODE_NAME, { cpu: 2, memory: 4096, gpu: 0 }),
      node('controller', CONTROLLER_NODE_NAME, { cpu: 2, memory: 4096, gpu: 0 }),
    ];
    let computeIndex = 0;
    for (const queue of queues) {
      const spec = queue.spec_detail;
      for (let n = 0; n < queue.node_info.length; n++) {
        nodes.push(node('compute', `计算节点${++computeIndex}`, {
          cpu: spec.unit_cpu_num, memory: spec.unit_mem_size * 1024, gpu: spec.unit_gpu_num,
        }));
      }
    }
    return nodes;
  }
}

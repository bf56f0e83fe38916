// What activation hands the tree for the rows it draws with code loaded on first use.
import type { PartRows } from '../../../src/tree/provider';
import { jobTooltip } from '../../../src/tree/jobTooltip';
import { jobsByMachine, machineItem, queueItem } from '../../../src/tree/partItems';

export const partRows = (): PartRows => ({ jobsByMachine, jobTooltip, machineItem, queueItem });

import * as vscode from 'vscode';
import { CredentialStore } from './accounts/credentialStore';
import { Accounts } from './accounts/registry';
import { ClusterInfoCache } from './submit/clusterInfo';
import { BusyMarks } from './tree/busyMarks';
import { FilterState } from './tree/filterState';
import { ClusterModel } from './tree/model';
import { TreeNode } from './tree/nodes';
import { JobDetailDocuments } from './ui/jobDetailDocuments';
import { Prompts } from './ui/prompts';
import { JobWatch } from './watch/jobWatch';
import { Notifier } from './watch/notifications';

/** What commands work with; built once in extension.ts. */
export interface Services {
  readonly log: vscode.LogOutputChannel;
  readonly credentials: CredentialStore;
  /** The accounts, each with its connection (endpoint and key). */
  readonly accounts: Accounts;
  readonly model: ClusterModel;
  /** The jobs a batch is working on ("Deleting..."); only jobs it could mark may be sent. */
  readonly busy: BusyMarks;
  readonly treeView: vscode.TreeView<TreeNode>;
  readonly filter: FilterState;
  /** The `ehpc-job:` documents of Show Job Details. */
  readonly jobDetails: JobDetailDocuments;
  /** Queues and users per cluster, for the Submit form. */
  readonly clusterInfo: ClusterInfoCache;
  /** What outlives the window: the Submit form's last cluster and run users. */
  readonly globalState: vscode.Memento;
  /** Replaceable so that tests in the extension host can answer prompts. */
  prompts: Prompts;
  /** Jobs followed until they end (the cancel and submit flows add theirs). */
  readonly watch: JobWatch;
  /** The watch's notifications; replaceable so that tests in the extension host see them and press their buttons. */
  notifier: Notifier;
}

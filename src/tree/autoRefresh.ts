// Optional periodic refresh (`ehpc.autoRefreshSeconds`): only while the view is visible,
// one at a time, and the next one timed from the end of the last.
import * as vscode from 'vscode';
import { ClusterModel } from './model';

export class AutoRefresh implements vscode.Disposable {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly model: ClusterModel,
    private readonly treeView: vscode.TreeView<unknown>,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.subscriptions = [
      treeView.onDidChangeVisibility(() => this.schedule()),
      vscode.workspace.onDidChangeConfiguration((event) => event.affectsConfiguration('ehpc.autoRefreshSeconds') && this.schedule()),
    ];
    this.schedule();
  }

  private get seconds(): number {
    const value = vscode.workspace.getConfiguration('ehpc').get<number>('autoRefreshSeconds', 0);
    return typeof value === 'number' && value > 0 ? value : 0;
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.seconds > 0 && this.treeView.visible && !this.running) {
      this.timer = setTimeout(() => void this.tick(), this.seconds * 1000);
    }
  }

  private async tick(): Promise<void> {
    this.timer = undefined;
    if (!this.treeView.visible) {
      return;
    }
    if (this.model.loading) {
      this.schedule(); // a refresh is already under way: skip this turn
      return;
    }
    this.running = true;
    try {
      await this.model.reloadShown();
    } catch (error) {
      this.log.warn(`Auto-refresh failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.running = false;
      this.schedule();
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
    vscode.Disposable.from(...this.subscriptions).dispose();
  }
}

// When the language server process dies: restart it, but not forever, and say what happened.
// Pure logic (no `vscode`), so that plain Node tests can check it; extension.ts wires it to the client.

export interface CrashVerdict {
  restart: boolean;
  message: string;
}

export class RestartPolicy {
  private crashes: number[] = [];

  /** At most `max` restarts within `windowMs` (vscode-languageclient's default is 4 in 3 minutes). */
  constructor(
    private readonly max = 4,
    private readonly windowMs = 3 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Called each time the server stops without being asked to. */
  onCrash(): CrashVerdict {
    const t = this.now();
    this.crashes = this.crashes.filter((c) => t - c < this.windowMs);
    this.crashes.push(t);
    const minutes = Math.round(this.windowMs / 60_000);
    if (this.crashes.length <= this.max) {
      return {
        restart: true,
        message: `Python Concurrency Coach: the language server stopped unexpectedly and was restarted (restart ${this.crashes.length} of ${this.max} within ${minutes} minutes). The output channel has details.`,
      };
    }
    const count = this.crashes.length;
    this.crashes = []; // a manual restart starts counting afresh
    return {
      restart: false,
      message: `Python Concurrency Coach: the language server stopped unexpectedly ${count} times within ${minutes} minutes and will not be restarted. Run "Python Concurrency: Restart Server" to start it again; the output channel has details.`,
    };
  }
}

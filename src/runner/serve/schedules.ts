import { Cron } from 'croner';
import type { Bundle } from '../../engine/bundles/bundle-format.js';
import { FlowsteadError } from '../../shared/errors.js';
import { EXIT, RunnerExit } from '../commands/exit-codes.js';
import type { Logger } from '../logger.js';

export type StartRun = (flowId: string, input: Record<string, unknown>) => Promise<{ runId: string }>;

export interface Schedules {
  readonly count: number;
  stop(): void;
}

/**
 * One cron job per entry flow with a `schedule` trigger, in the trigger's time zone. A job does
 * not start again while its previous start is still being handed to the engine (croner's protect).
 */
export function startSchedules(bundles: Bundle[], startRun: StartRun, logger: Logger): Schedules {
  const jobs: Cron[] = [];
  for (const bundle of bundles) {
    for (const entry of bundle.manifest.entryFlows) {
      const trigger = entry.trigger;
      if (trigger.kind !== 'schedule') continue;
      let job: Cron;
      try {
        job = new Cron(trigger.cron, { timezone: trigger.timeZone, protect: true, paused: true }, async () => {
          try {
            const { runId } = await startRun(entry.id, {});
            logger.info({ runId, flow: entry.name, cron: trigger.cron }, 'scheduled run started');
          } catch (error) {
            const code = error instanceof FlowsteadError ? error.code : 'INTERNAL';
            const message = error instanceof Error ? error.message : String(error);
            logger.error({ flow: entry.name, error: { code, message } }, 'scheduled run could not start');
          }
        });
      } catch (error) {
        jobs.forEach((j) => j.stop());
        throw new RunnerExit(
          EXIT.usage,
          'SCHEDULE_INVALID',
          `Flow "${entry.name}" has the schedule "${trigger.cron}" in ${trigger.timeZone}, which cannot be used: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      jobs.push(job);
      logger.info(
        { flow: entry.name, cron: trigger.cron, timeZone: trigger.timeZone, next: job.nextRun()?.toISOString() },
        'schedule registered',
      );
    }
  }
  jobs.forEach((job) => job.resume());
  return {
    count: jobs.length,
    stop: () => jobs.forEach((job) => job.stop()),
  };
}

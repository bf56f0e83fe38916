import { Services } from '../services';

/** "Filter Jobs": a status, then a search word; applies to every cluster's jobs. */
export async function filterJobs(services: Services): Promise<void> {
  const filter = await services.prompts.jobFilter(services.filter.current);
  if (filter) {
    await services.filter.set(filter);
  }
}

export function clearFilter(services: Services): Promise<void> {
  return services.filter.set({});
}

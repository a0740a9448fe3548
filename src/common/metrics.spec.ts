import { metricsRegistry, observeOldestChangeAge, routeChangeAge } from './metrics.js';

/** The histogram's count and sum for one hop. */
async function hop(name: string): Promise<{ count: number; sum: number }> {
  const { values } = await routeChangeAge.get();
  const of = (suffix: string) =>
    values.find((value) => value.metricName === `route_broker_route_change_age_seconds${suffix}` && value.labels.hop === name)?.value ?? 0;
  return { count: of('_count'), sum: of('_sum') };
}

describe('observeOldestChangeAge', () => {
  beforeEach(() => routeChangeAge.reset());

  it('observes the age of the oldest cause of the unit, once', async () => {
    observeOldestChangeAge('committed', [{ cause: { at: 1_000 } }, { cause: { at: 940 } }, { cause: { at: 990 } }], 1_000);
    expect(await hop('committed')).toEqual({ count: 1, sum: 0.06 });
    expect(await hop('delivered')).toEqual({ count: 0, sum: 0 });
  });

  it('observes nothing when no change says its cause (a message of an older build)', async () => {
    observeOldestChangeAge('delivered', [{}, { cause: null }], 1_000);
    expect(await hop('delivered')).toEqual({ count: 0, sum: 0 });
  });

  it('counts a cause in the future (clocks of two hosts apart) as age zero', async () => {
    observeOldestChangeAge('notified', [{ cause: { at: 2_000 } }], 1_000);
    expect(await hop('notified')).toEqual({ count: 1, sum: 0 });
    expect(await metricsRegistry.getSingleMetricAsString('route_broker_route_change_age_seconds')).toContain('hop="notified"');
  });
});

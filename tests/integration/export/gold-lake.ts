import { buildGold, buildSilver } from '../../../pipeline/lake/build';
import { writeSampleBronze } from '../../helpers/bronze-fixture';

/** Every Gold table of the bundled sample, built the way `clickpulse build all` does after a replay. */
export async function buildSampleGold(lake: string): Promise<Record<string, number>> {
  await writeSampleBronze(lake);
  await buildSilver(lake);
  return buildGold(lake);
}

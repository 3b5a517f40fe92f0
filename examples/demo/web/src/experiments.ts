import posthog from './posthog';

/** Landing-page experiments are named after the campaign, e.g. `experiment-black-friday`. */
export function isInCampaignExperiment(campaign: string): boolean {
  return posthog.isFeatureEnabled(`experiment-${campaign}`) ?? false;
}

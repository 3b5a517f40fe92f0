import { useFeatureFlagEnabled } from 'posthog-js/react';
import { GrowthFlag, useFlag } from '../flags';

export function Dashboard() {
  const beta = useFeatureFlagEnabled(GrowthFlag.BetaDashboard);
  const showRecommendations = useFlag(GrowthFlag.Recommendations);

  return (
    <main>
      {beta ? <h2>Your dashboard (beta)</h2> : <h2>Your dashboard</h2>}
      {showRecommendations && <aside id="recommendations" />}
    </main>
  );
}

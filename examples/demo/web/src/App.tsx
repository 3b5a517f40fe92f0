import { PostHogFeature } from 'posthog-js/react';
import { FEATURE_FLAGS, useFlag } from './flags';
import { Checkout } from './pages/Checkout';
import { Dashboard } from './pages/Dashboard';
import { Pricing } from './pages/Pricing';
import { SearchBar } from './components/SearchBar';
import { OnboardingChecklist } from './components/OnboardingChecklist';

export function App() {
  const darkMode = useFlag(FEATURE_FLAGS.DARK_MODE);

  return (
    <div className={darkMode ? 'app app--dark' : 'app'}>
      <header>
        <SearchBar />
      </header>
      <PostHogFeature flag="onboarding-checklist" match={true}>
        <OnboardingChecklist />
      </PostHogFeature>
      <Dashboard />
      <Pricing />
      <Checkout />
    </div>
  );
}

import { useState } from 'react';
import posthog from '../posthog';
import { FEATURE_FLAGS } from '../flags';

export function SearchBar() {
  const [query, setQuery] = useState('');
  const endpoint = posthog.isFeatureEnabled(FEATURE_FLAGS.SEARCH_V2) ? '/api/v2/search' : '/api/search';

  return (
    <form action={endpoint}>
      <input value={query} onChange={(e) => setQuery(e.target.value)} placeholder="Search products" />
    </form>
  );
}

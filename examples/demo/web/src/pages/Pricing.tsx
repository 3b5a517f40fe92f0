import { useFeatureFlagVariantKey } from 'posthog-js/react';

const PLANS = [
  { id: 'starter', price: 9 },
  { id: 'team', price: 29 },
];

export function Pricing() {
  const variant = useFeatureFlagVariantKey('pricing-page-experiment');

  if (variant === 'annual-discount') {
    return <PlanTable plans={PLANS} discount={0.2} />;
  }
  if (variant === 'free-trial') {
    return <PlanTable plans={PLANS} trialDays={14} />;
  }
  return <PlanTable plans={PLANS} />;
}

function PlanTable(props: { plans: typeof PLANS; discount?: number; trialDays?: number }) {
  return (
    <ul>
      {props.plans.map((p) => (
        <li key={p.id}>
          {p.id}: ${(p.price * (1 - (props.discount ?? 0))).toFixed(2)}
          {props.trialDays ? ` (${props.trialDays}-day trial)` : ''}
        </li>
      ))}
    </ul>
  );
}

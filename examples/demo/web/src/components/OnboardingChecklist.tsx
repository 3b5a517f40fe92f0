const STEPS = ['Create a store', 'Add a product', 'Connect payments'];

export function OnboardingChecklist() {
  return (
    <ol className="onboarding">
      {STEPS.map((s) => (
        <li key={s}>{s}</li>
      ))}
    </ol>
  );
}

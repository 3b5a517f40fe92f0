import posthog from '../posthog';

export function CartSummary() {
  // Shows the express-pay shortcut on the new checkout.
  const express = posthog.isFeatureEnabled('new-chekout');

  return (
    <div className="cart-summary">
      <p>3 items</p>
      {express && <button type="button">Express pay</button>}
    </div>
  );
}

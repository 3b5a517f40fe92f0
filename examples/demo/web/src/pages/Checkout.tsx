import { useFeatureFlagEnabled } from 'posthog-js/react';
import { CartSummary } from '../components/CartSummary';

export function Checkout() {
  const newCheckout = useFeatureFlagEnabled('new-checkout');

  if (!newCheckout) {
    return <form action="/legacy/checkout" method="post"><CartSummary /></form>;
  }
  return (
    <section className="checkout">
      <h1>Checkout</h1>
      <CartSummary />
      <button type="submit">Pay now</button>
    </section>
  );
}

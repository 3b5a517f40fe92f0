/** Flags owned by the growth team. */
export enum GrowthFlag {
  BetaDashboard = 'beta-dashboard',
  Recommendations = 'recommendations-widget',
}

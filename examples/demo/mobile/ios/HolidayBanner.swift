import PostHog
import SwiftUI

struct HolidayBanner: View {
    var body: some View {
        if PostHogSDK.shared.isFeatureEnabled("holiday-banner") {
            Text("Holiday sale: 20% off everything")
                .padding()
                .background(Color.red)
        }
    }
}

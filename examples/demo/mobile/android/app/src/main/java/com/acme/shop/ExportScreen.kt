package com.acme.shop

import com.posthog.PostHog

class ExportScreen {
    fun exportButtonVisible(): Boolean {
        return PostHog.isFeatureEnabled("legacy-export")
    }
}

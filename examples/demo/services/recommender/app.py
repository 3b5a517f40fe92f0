"""Recommendation service: ranks products for a user."""
import os

import posthog
from flask import Flask, jsonify

posthog.api_key = os.environ.get("POSTHOG_PROJECT_TOKEN", "")
posthog.host = "https://us.i.posthog.com"

RECOMMENDATIONS_FLAG = "recommendations-widget"

app = Flask(__name__)


def rank(products, user_id):
    if posthog.feature_enabled("ai-assistant", user_id):
        return sorted(products, key=lambda p: p["score"], reverse=True)
    return products


@app.get("/recommendations/<user_id>")
def recommendations(user_id):
    variant = posthog.get_feature_flag(RECOMMENDATIONS_FLAG, user_id)
    products = [{"id": 1, "score": 0.4}, {"id": 2, "score": 0.9}]
    if not variant:
        return jsonify([])
    return jsonify(rank(products, user_id))

"""Reading fact-checks from outside: schema.org ClaimReview and the vclaims JSON lines (no Django)."""

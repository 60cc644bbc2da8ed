"""Numbers for billing staff: first-pass rates, denials, money, days in A/R, work queues, timely filing."""

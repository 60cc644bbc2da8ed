"""After ops fix the data: re-scrub, resend a rejected claim, correct or void an adjudicated one."""

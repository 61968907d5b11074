"""Referrals: a proven person forwarded to the competent body and followed until the sanction is imposed —
the services, the board and detail reads, the letters, the forms and the views."""

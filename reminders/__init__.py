"""The follow-up calendar: business days, planning and delivery of reminders."""

"""FollowUp Bot (跟进助手): the application core, free of any chat SDK."""

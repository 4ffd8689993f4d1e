"""Manager views: pipeline, forecast, reply-time statistics and charts, as pure functions of data."""

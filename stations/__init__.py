"""The pages that read across the apps: reception and the client card, the boards, bans, the timeline."""

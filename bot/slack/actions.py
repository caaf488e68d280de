"""The action IDs of a preview's Apply and Cancel buttons: what the Bolt app listens for."""

from bot.render.outcome_views import PreviewActions

APPLY_ACTION = "apply_change"
CANCEL_ACTION = "cancel_change"
PREVIEW_ACTIONS = PreviewActions(apply=APPLY_ACTION, cancel=CANCEL_ACTION)

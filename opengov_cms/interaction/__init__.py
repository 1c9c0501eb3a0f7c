"""政民互动: the public's messages (留言/咨询/建议/投诉) answered on time and in public, and the
responses to public concerns (回应关切)."""

"""The optional LLM layer: OpenAI-compatible tool calling beside the rules engine.

`llm_turn` answers a turn with a model that calls the same tools the rules engine uses;
every figure it writes must be grounded in those tools' results, and any failure ends in
the rules engine's answer. Without a key configured nothing here runs.
"""

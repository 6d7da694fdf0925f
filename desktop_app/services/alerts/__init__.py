"""Alerts: rules, the evaluator's state machine, throttling and the engine."""

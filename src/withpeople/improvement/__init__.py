"""Self-assessment on the We statements, results, action plans and You said, we did."""

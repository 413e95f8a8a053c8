"""The care plan: goals and services agreed with the child, approved before it binds."""

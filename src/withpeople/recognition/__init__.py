"""Recognition policies, time given, payments, vouchers and expenses."""

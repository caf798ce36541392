"""One router per concern: the SageMaker container contract and the public web API."""

"""Deployment: package the model for SageMaker, deploy and undeploy endpoints.

``packaging`` builds and validates ``model.tar.gz``; ``sagemaker_deploy`` talks to AWS through the
SageMaker Python SDK v2 and boto3; ``datasets`` holds the Kedro datasets of the deployment
pipeline. Import submodules directly: the SageMaker SDK takes seconds to import.
"""

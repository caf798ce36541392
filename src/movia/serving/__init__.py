"""Serving: the SageMaker inference handler, the FastAPI app, the Lambda handler, the web page.

``inference`` is the one prediction path; ``app`` (contract routes, public API, static page),
``lambda_function`` and the deployment package all call it. Import submodules directly: this
package imports nothing heavy, and never Kedro.
"""

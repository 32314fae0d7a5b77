"""The one task the queue knows: run a job by its id. What a job does is the job's kind."""

from django_tasks import task


@task()
def run_job(job_id: str) -> str:
    from servicecenter.apps.jobs.services import execute

    return execute(job_id)

#!/bin/bash
# A first job to try Submit Job... with: the cloud button in this editor's title sends it.
# The #SBATCH lines below fill in the form; %j is Slurm's job id, so each run writes its own file.
#SBATCH --job-name=hello-cluster
#SBATCH --ntasks=2
#SBATCH --time=10
#SBATCH --output=hello-cluster-%j.out

echo "Hello from $(hostname), job ${SLURM_JOB_ID:-?}, ${SLURM_NTASKS:-1} tasks"
sleep 5
echo "Done."

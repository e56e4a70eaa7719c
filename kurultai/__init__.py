"""kurultai: reports of Central Asian regional cooperation read, extracted, resolved and searched."""
import os

# natasha's models multiply small matrices, where a BLAS thread per core costs more than it saves:
# over 80 extractions two threads took 2.3 times the CPU and 16 % more wall time than one
# (bench/RESULTS.md, «Scale-out»); Dask's workers run one thread each already. Set before numpy
# is first imported; a value the user set wins.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

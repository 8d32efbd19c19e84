"""Paths, sizes, ports and credentials every part of the benchmark shares."""

import os

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
LUA_DIR = os.path.join(ROOT, "Benchmarks")
SCRATCH = os.path.join(ROOT, ".build-bench")
MIB = 1024 * 1024
FILE_SIZE = 5 * MIB
USER = "benchuser"
SVC = "/upload_download_service"

# Ports (all on 127.0.0.1), away from the 8001/8002 defaults a developer may be running.
P_UPLOAD, P_DOWNLOAD, P_NGINX, P_REDIS = 27501, 27502, 27580, 27579
P_WEED = dict(master=27433, masterGrpc=27434, volume=27440, volumeGrpc=27441,
              filer=27488, filerGrpc=27489, s3=27483, s3Grpc=27484)
S3_KEY, S3_SECRET, S3_BUCKET, S3_REF_BUCKET = "benchAccessKey", "benchSecretKey123", "benchnode", "benchref"
CLK_TCK = os.sysconf("SC_CLK_TCK")


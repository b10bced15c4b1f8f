"""The seccomp filter installed in the process that runs learner code. Standard library only.

    install() -> bool     False on a machine this table does not know (then only the
                          namespaces, capabilities and rlimits confine the child)

A deny list, not an allow list: CPython and NumPy use a wide and version-dependent set of
system calls, and an allow list that misses one breaks honest submissions. What it refuses
is what no exercise needs and what widens the kernel surface or reaches outside the run:

- new namespaces of any kind (`unshare`, `setns`, `clone` with a CLONE_NEW* flag): the way
  back to capabilities inside a new user namespace, and out of the run's own namespaces;
  `clone3` gets ENOSYS (its flags sit in memory a filter cannot read; glibc falls back to
  `clone`, whose flags it can);
- debugging and reading other processes (`ptrace`, `process_vm_readv/writev`, `kcmp`,
  `pidfd_getfd`, `perf_event_open`, `bpf`);
- memory outside RLIMIT_AS and the size-limited tmpfs (`memfd_create`, SysV shared
  memory, message queues and semaphores) and `userfaultfd` (a tool for kernel races);
- mounting (`mount`, `umount2`, `pivot_root`, the new mount API), `io_uring` (system calls
  a filter never sees), keyrings, `personality`, file handles, modules, kexec, swap,
  reboot, acct, syslog, quotactl, iopl/ioperm, NUMA policy calls;
- clearing or changing the parent-death signal (`prctl(PR_SET_PDEATHSIG)`): the process that
  runs learner code dies with the trusted process that waits for it;
- every system call of a foreign ABI (x32, i386 from a 64-bit process).

Refused calls fail with EPERM (ENOSYS for clone3 and foreign ABIs): learner code sees an
ordinary OSError, the run goes on.
"""
from __future__ import annotations

import ctypes
import os

CLONE_NAMESPACES = 0x7E020080   # CLONE_NEWNS|NEWCGROUP|NEWUTS|NEWIPC|NEWUSER|NEWPID|NEWNET|NEWTIME

DENIED = ("ptrace", "process_vm_readv", "process_vm_writev", "kcmp", "pidfd_getfd", "perf_event_open", "bpf",
          "unshare", "setns", "mount", "umount2", "pivot_root", "fsopen", "fsconfig", "fsmount", "fspick",
          "open_tree", "move_mount", "mount_setattr", "memfd_create", "shmget", "msgget", "semget",
          "userfaultfd", "io_uring_setup", "io_uring_enter", "io_uring_register", "keyctl", "add_key",
          "request_key", "personality", "open_by_handle_at", "name_to_handle_at", "init_module",
          "finit_module", "delete_module", "kexec_load", "kexec_file_load", "swapon", "swapoff", "reboot",
          "acct", "syslog", "quotactl", "lookup_dcookie", "vhangup", "mbind", "set_mempolicy",
          "migrate_pages", "move_pages", "fanotify_init", "iopl", "ioperm")

# machine: (AUDIT_ARCH_*, x32 bit, {name: number}); from <asm/unistd_64.h> and <asm-generic/unistd.h>
_X86_64 = dict(ptrace=101, process_vm_readv=310, process_vm_writev=311, kcmp=312, pidfd_getfd=438,
               perf_event_open=298, bpf=321, unshare=272, setns=308, mount=165, umount2=166, pivot_root=155,
               fsopen=430, fsconfig=431, fsmount=432, fspick=433, open_tree=428, move_mount=429,
               mount_setattr=442, memfd_create=319, shmget=29, msgget=68, semget=64, userfaultfd=323,
               io_uring_setup=425, io_uring_enter=426, io_uring_register=427, keyctl=250, add_key=248,
               request_key=249, personality=135, open_by_handle_at=304, name_to_handle_at=303,
               init_module=175, finit_module=313, delete_module=176, kexec_load=246, kexec_file_load=320,
               swapon=167, swapoff=168, reboot=169, acct=163, syslog=103, quotactl=179, lookup_dcookie=212,
               vhangup=153, mbind=237, set_mempolicy=238, migrate_pages=256, move_pages=279,
               fanotify_init=300, iopl=172, ioperm=173, clone=56, clone3=435, prctl=157)
_AARCH64 = dict(ptrace=117, process_vm_readv=270, process_vm_writev=271, kcmp=272, pidfd_getfd=438,
                perf_event_open=241, bpf=280, unshare=97, setns=268, mount=40, umount2=39, pivot_root=41,
                fsopen=430, fsconfig=431, fsmount=432, fspick=433, open_tree=428, move_mount=429,
                mount_setattr=442, memfd_create=279, shmget=194, msgget=186, semget=190, userfaultfd=282,
                io_uring_setup=425, io_uring_enter=426, io_uring_register=427, keyctl=219, add_key=217,
                request_key=218, personality=92, open_by_handle_at=265, name_to_handle_at=264,
                init_module=105, finit_module=273, delete_module=106, kexec_load=104, kexec_file_load=294,
                swapon=224, swapoff=225, reboot=142, acct=89, syslog=116, quotactl=60, lookup_dcookie=18,
                vhangup=58, mbind=235, set_mempolicy=237, migrate_pages=238, move_pages=239,
                fanotify_init=262, clone=220, clone3=435, prctl=167)
ARCHES = {"x86_64": (0xC000003E, 0x40000000, _X86_64), "aarch64": (0xC00000B7, 0, _AARCH64)}

# BPF opcodes (<linux/filter.h>) and seccomp return values (<linux/seccomp.h>)
LD_ABS, JEQ, JGE, JSET, RET = 0x20, 0x15, 0x35, 0x45, 0x06
ALLOW, ERRNO = 0x7FFF0000, 0x00050000
EPERM, ENOSYS = 1, 38
PR_SET_SECCOMP, SECCOMP_MODE_FILTER = 22, 2
PR_SET_PDEATHSIG = 1


def program(machine: str) -> list[tuple[int, int, int, int]] | None:
    """The filter as (code, jt, jf, k) rows, or None for an unknown machine."""
    if machine not in ARCHES:
        return None
    arch, x32, numbers = ARCHES[machine]
    denied = sorted({numbers[name] for name in DENIED if name in numbers})
    rows = [
        (LD_ABS, 0, 0, 4),                      # arch
        (JEQ, 1, 0, arch),
        (RET, 0, 0, ERRNO | ENOSYS),            # a foreign ABI
        (LD_ABS, 0, 0, 0),                      # the system call's number
        (JGE, 0, 1, x32 or 0xFFFFFFFF),         # the x32 ABI (x86_64 only)
        (RET, 0, 0, ERRNO | ENOSYS),
        (JEQ, 0, 1, numbers["clone3"]),
        (RET, 0, 0, ERRNO | ENOSYS),
        (JEQ, 0, 3, numbers["clone"]),          # clone: allowed unless a namespace flag is set
        (LD_ABS, 0, 0, 16),                     # args[0], low 32 bits: the flags
        (JSET, 0, 1, CLONE_NAMESPACES),
        (RET, 0, 0, ERRNO | EPERM),
    ]
    # Then the number again (a clone with plain flags arrives here with its flags loaded):
    # prctl is allowed unless it sets the parent-death signal, then one comparison per denied
    # number, each jumping when equal to the EPERM at the end.
    rows += [
        (LD_ABS, 0, 0, 0),
        (JEQ, 0, 3, numbers["prctl"]),
        (LD_ABS, 0, 0, 16),                     # args[0]: the option
        (JEQ, 0, 1, PR_SET_PDEATHSIG),
        (RET, 0, 0, ERRNO | EPERM),
    ]
    rows.append((LD_ABS, 0, 0, 0))
    count = len(denied)
    for i, number in enumerate(denied):
        rows.append((JEQ, count - i, 0, number))
    rows.append((RET, 0, 0, ALLOW))
    rows.append((RET, 0, 0, ERRNO | EPERM))
    return rows


def install() -> bool:
    rows = program(os.uname().machine)
    if rows is None:
        return False

    class Filter(ctypes.Structure):
        _fields_ = [("code", ctypes.c_uint16), ("jt", ctypes.c_uint8), ("jf", ctypes.c_uint8), ("k", ctypes.c_uint32)]

    class Program(ctypes.Structure):
        _fields_ = [("len", ctypes.c_uint16), ("filter", ctypes.POINTER(Filter))]

    filters = (Filter * len(rows))(*[Filter(*row) for row in rows])
    fprog = Program(len(rows), filters)
    libc = ctypes.CDLL(None, use_errno=True)
    result = libc.prctl(ctypes.c_int(PR_SET_SECCOMP), ctypes.c_ulong(SECCOMP_MODE_FILTER),
                        ctypes.byref(fprog), ctypes.c_ulong(0), ctypes.c_ulong(0))
    if result != 0:
        raise OSError(ctypes.get_errno(), f"seccomp: {os.strerror(ctypes.get_errno())}")
    return True

#blocked = #ttg.blocked<{sizePerThread = [2, 8], threadsPerWarp = [4, 16], warpsPerCTA = [8, 1], order = [1, 0]}>
#blocked1 = #ttg.blocked<{sizePerThread = [1, 8], threadsPerWarp = [8, 8], warpsPerCTA = [8, 1], order = [1, 0]}>
#blocked2 = #ttg.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 16], warpsPerCTA = [8, 1], order = [1, 0]}>
#linear = #ttg.linear<{register = [[1, 0], [0, 1], [0, 2], [0, 4]], lane = [[0, 8], [0, 16], [0, 32], [0, 64], [2, 0], [4, 0]], warp = [[8, 0], [16, 0], [32, 0]], block = []}>
#mma = #ttg.amd_mfma<{version = 3, warpsPerCTA = [2, 4], instrShape = [32, 32, 8], isTransposed = true}>
#shared = #ttg.swizzled_shared<{vec = 4, perPhase = 1, maxPhase = 16, order = [1, 0]}>
#shared1 = #ttg.amd_rotating_shared<{vec = 4, perPhase = 1, maxPhase = 16, order = [0, 1]}>
#smem = #ttg.shared_memory
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 8 : i32, ttg.target = "hip:gfx942", "ttg.threads-per-warp" = 64 : i32} {
  tt.func public @matmul_kernel(%a_ptr: !tt.ptr<f16> {tt.divisibility = 16 : i32}, %b_ptr: !tt.ptr<f16> {tt.divisibility = 16 : i32}, %c_ptr: !tt.ptr<f16> {tt.divisibility = 16 : i32}, %M: i32 {tt.divisibility = 16 : i32}, %N: i32 {tt.divisibility = 16 : i32}, %K: i32 {tt.divisibility = 16 : i32}, %stride_am: i32 {tt.divisibility = 16 : i32}, %stride_bk: i32 {tt.divisibility = 16 : i32}, %stride_cm: i32 {tt.divisibility = 16 : i32}) attributes {noinline = false} {
    %cst = arith.constant dense<0.000000e+00> : tensor<64x128xf16, #blocked>
    %c2_i32 = arith.constant 2 : i32
    %cst_0 = arith.constant dense<64> : tensor<128x64xi32, #blocked1>
    %c0_i32 = arith.constant 0 : i32
    %c1_i32 = arith.constant 1 : i32
    %c127_i32 = arith.constant 127 : i32
    %c63_i32 = arith.constant 63 : i32
    %c64_i32 = arith.constant 64 : i32
    %c128_i32 = arith.constant 128 : i32
    %c8_i32 = arith.constant 8 : i32
    %cst_1 = arith.constant dense<0.000000e+00> : tensor<128x64xf16, #blocked1>
    %cst_2 = arith.constant dense<0.000000e+00> : tensor<128x128xf32, #mma>
    %pid = tt.get_program_id x : i32
    %num_m = arith.addi %M, %c127_i32 : i32
    %num_m_3 = arith.divsi %num_m, %c128_i32 : i32
    %num_n = arith.addi %N, %c127_i32 : i32
    %num_n_4 = arith.divsi %num_n, %c128_i32 : i32
    %group = arith.muli %num_n_4, %c8_i32 : i32
    %first_m = arith.divsi %pid, %group : i32
    %first_m_5 = arith.muli %first_m, %c8_i32 : i32
    %size_m = arith.subi %num_m_3, %first_m_5 : i32
    %size_m_6 = arith.minsi %size_m, %c8_i32 : i32
    %pid_m = arith.remsi %pid, %group : i32
    %pid_m_7 = arith.remsi %pid_m, %size_m_6 : i32
    %pid_m_8 = arith.addi %first_m_5, %pid_m_7 : i32
    %pid_n = arith.divsi %pid_m, %size_m_6 : i32
    %rm = arith.muli %pid_m_8, %c128_i32 : i32
    %rm_9 = tt.make_range {end = 128 : i32, start = 0 : i32} : tensor<128xi32, #ttg.slice<{dim = 1, parent = #blocked1}>>
    %rm_10 = tt.make_range {end = 128 : i32, start = 0 : i32} : tensor<128xi32, #ttg.slice<{dim = 1, parent = #mma}>>
    %rm_11 = tt.make_range {end = 128 : i32, start = 0 : i32} : tensor<128xi32, #ttg.slice<{dim = 0, parent = #mma}>>
    %rm_12 = tt.make_range {end = 128 : i32, start = 0 : i32} : tensor<128xi32, #ttg.slice<{dim = 0, parent = #blocked2}>>
    %rm_13 = tt.splat %rm : i32 -> tensor<128xi32, #ttg.slice<{dim = 1, parent = #blocked1}>>
    %rm_14 = tt.splat %rm : i32 -> tensor<128xi32, #ttg.slice<{dim = 1, parent = #mma}>>
    %rm_15 = arith.addi %rm_13, %rm_9 : tensor<128xi32, #ttg.slice<{dim = 1, parent = #blocked1}>>
    %rm_16 = arith.addi %rm_14, %rm_10 : tensor<128xi32, #ttg.slice<{dim = 1, parent = #mma}>>
    %rn = arith.muli %pid_n, %c128_i32 : i32
    %rn_17 = tt.splat %rn : i32 -> tensor<128xi32, #ttg.slice<{dim = 0, parent = #mma}>>
    %rn_18 = tt.splat %rn : i32 -> tensor<128xi32, #ttg.slice<{dim = 0, parent = #blocked2}>>
    %rn_19 = arith.addi %rn_17, %rm_11 : tensor<128xi32, #ttg.slice<{dim = 0, parent = #mma}>>
    %rn_20 = arith.addi %rn_18, %rm_12 : tensor<128xi32, #ttg.slice<{dim = 0, parent = #blocked2}>>
    %a = tt.expand_dims %rm_15 {axis = 1 : i32} : tensor<128xi32, #ttg.slice<{dim = 1, parent = #blocked1}>> -> tensor<128x1xi32, #blocked1>
    %a_21 = tt.expand_dims %rm_16 {axis = 1 : i32} : tensor<128xi32, #ttg.slice<{dim = 1, parent = #mma}>> -> tensor<128x1xi32, #mma>
    %a_22 = tt.splat %stride_am : i32 -> tensor<128x1xi32, #blocked1>
    %a_23 = arith.muli %a, %a_22 : tensor<128x1xi32, #blocked1>
    %a_24 = tt.splat %a_ptr : !tt.ptr<f16> -> tensor<128x1x!tt.ptr<f16>, #blocked1>
    %a_25 = tt.addptr %a_24, %a_23 : tensor<128x1x!tt.ptr<f16>, #blocked1>, tensor<128x1xi32, #blocked1>
    %a_26 = tt.make_range {end = 64 : i32, start = 0 : i32} : tensor<64xi32, #ttg.slice<{dim = 0, parent = #blocked1}>>
    %a_27 = tt.expand_dims %a_26 {axis = 0 : i32} : tensor<64xi32, #ttg.slice<{dim = 0, parent = #blocked1}>> -> tensor<1x64xi32, #blocked1>
    %a_28 = tt.broadcast %a_25 : tensor<128x1x!tt.ptr<f16>, #blocked1> -> tensor<128x64x!tt.ptr<f16>, #blocked1>
    %a_29 = tt.broadcast %a_27 : tensor<1x64xi32, #blocked1> -> tensor<128x64xi32, #blocked1>
    %a_30 = tt.addptr %a_28, %a_29 : tensor<128x64x!tt.ptr<f16>, #blocked1>, tensor<128x64xi32, #blocked1>
    %0 = arith.addi %K, %c63_i32 : i32
    %1 = arith.divsi %0, %c64_i32 : i32
    %acc = arith.cmpi sgt, %1, %c0_i32 : i32
    %acc_31 = tt.splat %acc : i1 -> tensor<128x64xi1, #blocked1>
    %x = tt.splat %M : i32 -> tensor<128x1xi32, #blocked1>
    %x_32 = arith.cmpi slt, %a, %x : tensor<128x1xi32, #blocked1>
    %x_33 = tt.broadcast %x_32 : tensor<128x1xi1, #blocked1> -> tensor<128x64xi1, #blocked1>
    %x_34 = tt.splat %K : i32 -> tensor<1x64xi32, #blocked1>
    %x_35 = arith.cmpi slt, %a_27, %x_34 : tensor<1x64xi32, #blocked1>
    %x_36 = tt.broadcast %x_35 : tensor<1x64xi1, #blocked1> -> tensor<128x64xi1, #blocked1>
    %x_37 = arith.andi %x_33, %x_36 : tensor<128x64xi1, #blocked1>
    %acc_38 = arith.andi %acc_31, %x_37 : tensor<128x64xi1, #blocked1>
    %x_39 = tt.load %a_30, %acc_38, %cst_1 {amd.pipeliner_part = "prologue"} : tensor<128x64x!tt.ptr<f16>, #blocked1>
    %b = tt.make_range {end = 64 : i32, start = 0 : i32} : tensor<64xi32, #ttg.slice<{dim = 1, parent = #blocked}>>
    %b_40 = tt.expand_dims %b {axis = 1 : i32} : tensor<64xi32, #ttg.slice<{dim = 1, parent = #blocked}>> -> tensor<64x1xi32, #blocked>
    %b_41 = tt.splat %stride_bk : i32 -> tensor<64x1xi32, #blocked>
    %b_42 = arith.muli %b_40, %b_41 : tensor<64x1xi32, #blocked>
    %b_43 = tt.splat %b_ptr : !tt.ptr<f16> -> tensor<64x1x!tt.ptr<f16>, #blocked>
    %b_44 = tt.addptr %b_43, %b_42 : tensor<64x1x!tt.ptr<f16>, #blocked>, tensor<64x1xi32, #blocked>
    %b_45 = tt.expand_dims %rn_19 {axis = 0 : i32} : tensor<128xi32, #ttg.slice<{dim = 0, parent = #mma}>> -> tensor<1x128xi32, #mma>
    %b_46 = tt.expand_dims %rn_20 {axis = 0 : i32} : tensor<128xi32, #ttg.slice<{dim = 0, parent = #blocked2}>> -> tensor<1x128xi32, #blocked2>
    %b_47 = tt.broadcast %b_44 : tensor<64x1x!tt.ptr<f16>, #blocked> -> tensor<64x128x!tt.ptr<f16>, #blocked>
    %b_48 = tt.broadcast %b_46 : tensor<1x128xi32, #blocked2> -> tensor<64x128xi32, #blocked>
    %b_49 = tt.addptr %b_47, %b_48 : tensor<64x128x!tt.ptr<f16>, #blocked>, tensor<64x128xi32, #blocked>
    %acc_50 = tt.splat %acc : i1 -> tensor<64x128xi1, #blocked>
    %y = tt.splat %K : i32 -> tensor<64x1xi32, #blocked>
    %y_51 = arith.cmpi slt, %b_40, %y : tensor<64x1xi32, #blocked>
    %y_52 = tt.broadcast %y_51 : tensor<64x1xi1, #blocked> -> tensor<64x128xi1, #blocked>
    %y_53 = tt.splat %N : i32 -> tensor<1x128xi32, #blocked2>
    %y_54 = arith.cmpi slt, %b_46, %y_53 : tensor<1x128xi32, #blocked2>
    %y_55 = tt.broadcast %y_54 : tensor<1x128xi1, #blocked2> -> tensor<64x128xi1, #blocked>
    %y_56 = arith.andi %y_52, %y_55 : tensor<64x128xi1, #blocked>
    %acc_57 = arith.andi %acc_50, %y_56 : tensor<64x128xi1, #blocked>
    %y_58 = tt.load %b_49, %acc_57, %cst {amd.pipeliner_part = "prologue"} : tensor<64x128x!tt.ptr<f16>, #blocked>
    %b_59 = arith.muli %stride_bk, %c64_i32 : i32
    %b_60 = tt.splat %b_59 : i32 -> tensor<64x128xi32, #blocked>
    %x_61 = ttg.local_alloc : () -> !ttg.memdesc<2x128x64xf16, #shared, #smem, mutable>
    %y_62 = ttg.local_alloc : () -> !ttg.memdesc<2x64x128xf16, #shared1, #smem, mutable>
    %x_63 = ttg.memdesc_index %x_61[%c0_i32] : !ttg.memdesc<2x128x64xf16, #shared, #smem, mutable> -> !ttg.memdesc<128x64xf16, #shared, #smem, mutable>
    ttg.local_store %x_39, %x_63 : tensor<128x64xf16, #blocked1> -> !ttg.memdesc<128x64xf16, #shared, #smem, mutable>
    %y_64 = ttg.memdesc_index %y_62[%c0_i32] : !ttg.memdesc<2x64x128xf16, #shared1, #smem, mutable> -> !ttg.memdesc<64x128xf16, #shared1, #smem, mutable>
    %y_65 = amdg.in_thread_transpose %y_58 : tensor<64x128xf16, #blocked> -> tensor<64x128xf16, #linear>
    ttg.local_store %y_65, %y_64 : tensor<64x128xf16, #linear> -> !ttg.memdesc<64x128xf16, #shared1, #smem, mutable>
    %acc_66 = arith.cmpi sgt, %1, %c1_i32 : i32
    %a_67 = tt.addptr %a_30, %cst_0 : tensor<128x64x!tt.ptr<f16>, #blocked1>, tensor<128x64xi32, #blocked1>
    %acc_68 = tt.splat %acc_66 : i1 -> tensor<128x64xi1, #blocked1>
    %x_69 = arith.subi %K, %c64_i32 : i32
    %x_70 = tt.splat %x_69 : i32 -> tensor<1x64xi32, #blocked1>
    %x_71 = arith.cmpi slt, %a_27, %x_70 : tensor<1x64xi32, #blocked1>
    %x_72 = tt.broadcast %x_71 : tensor<1x64xi1, #blocked1> -> tensor<128x64xi1, #blocked1>
    %x_73 = arith.andi %x_33, %x_72 : tensor<128x64xi1, #blocked1>
    %acc_74 = arith.andi %acc_68, %x_73 : tensor<128x64xi1, #blocked1>
    %x_75 = tt.load %a_67, %acc_74, %cst_1 {amd.pipeliner_part = "prologue"} : tensor<128x64x!tt.ptr<f16>, #blocked1>
    %b_76 = tt.addptr %b_49, %b_60 : tensor<64x128x!tt.ptr<f16>, #blocked>, tensor<64x128xi32, #blocked>
    %acc_77 = tt.splat %acc_66 : i1 -> tensor<64x128xi1, #blocked>
    %y_78 = tt.splat %x_69 : i32 -> tensor<64x1xi32, #blocked>
    %y_79 = arith.cmpi slt, %b_40, %y_78 : tensor<64x1xi32, #blocked>
    %y_80 = tt.broadcast %y_79 : tensor<64x1xi1, #blocked> -> tensor<64x128xi1, #blocked>
    %y_81 = arith.andi %y_80, %y_55 : tensor<64x128xi1, #blocked>
    %acc_82 = arith.andi %acc_77, %y_81 : tensor<64x128xi1, #blocked>
    %y_83 = tt.load %b_76, %acc_82, %cst {amd.pipeliner_part = "prologue"} : tensor<64x128x!tt.ptr<f16>, #blocked>
    %x_84 = ttg.memdesc_index %x_61[%c1_i32] : !ttg.memdesc<2x128x64xf16, #shared, #smem, mutable> -> !ttg.memdesc<128x64xf16, #shared, #smem, mutable>
    ttg.local_store %x_75, %x_84 : tensor<128x64xf16, #blocked1> -> !ttg.memdesc<128x64xf16, #shared, #smem, mutable>
    %y_85 = ttg.memdesc_index %y_62[%c1_i32] : !ttg.memdesc<2x64x128xf16, #shared1, #smem, mutable> -> !ttg.memdesc<64x128xf16, #shared1, #smem, mutable>
    %y_86 = amdg.in_thread_transpose %y_83 : tensor<64x128xf16, #blocked> -> tensor<64x128xf16, #linear>
    ttg.local_store %y_86, %y_85 : tensor<64x128xf16, #linear> -> !ttg.memdesc<64x128xf16, #shared1, #smem, mutable>
    %acc_87 = arith.subi %1, %c2_i32 : i32
    %acc_88:8 = scf.for %acc_105 = %c0_i32 to %acc_87 step %c1_i32 iter_args(%arg10 = %cst_2, %a_106 = %a_67, %acc_107 = %c1_i32, %x_108 = %x_63, %x_109 = %x_84, %y_110 = %y_64, %y_111 = %y_85, %b_112 = %b_76) -> (tensor<128x128xf32, #mma>, tensor<128x64x!tt.ptr<f16>, #blocked1>, i32, !ttg.memdesc<128x64xf16, #shared, #smem, mutable>, !ttg.memdesc<128x64xf16, #shared, #smem, mutable>, !ttg.memdesc<64x128xf16, #shared1, #smem, mutable>, !ttg.memdesc<64x128xf16, #shared1, #smem, mutable>, tensor<64x128x!tt.ptr<f16>, #blocked>)  : i32 {
      %a_113 = tt.addptr %a_106, %cst_0 : tensor<128x64x!tt.ptr<f16>, #blocked1>, tensor<128x64xi32, #blocked1>
      %b_114 = tt.addptr %b_112, %b_60 : tensor<64x128x!tt.ptr<f16>, #blocked>, tensor<64x128xi32, #blocked>
      %acc_115 = arith.addi %acc_105, %c2_i32 : i32
      %x_116 = arith.muli %acc_115, %c64_i32 : i32
      %x_117 = arith.subi %K, %x_116 : i32
      %x_118 = tt.splat %x_117 : i32 -> tensor<1x64xi32, #blocked1>
      %x_119 = arith.cmpi slt, %a_27, %x_118 : tensor<1x64xi32, #blocked1>
      %x_120 = tt.broadcast %x_119 : tensor<1x64xi1, #blocked1> -> tensor<128x64xi1, #blocked1>
      %x_121 = arith.andi %x_33, %x_120 : tensor<128x64xi1, #blocked1>
      %x_122 = tt.load %a_113, %x_121, %cst_1 : tensor<128x64x!tt.ptr<f16>, #blocked1>
      %x_123 = ttg.local_load %x_108 : !ttg.memdesc<128x64xf16, #shared, #smem, mutable> -> tensor<128x64xf16, #ttg.dot_op<{opIdx = 0, parent = #mma, kWidth = 4}>>
      %y_124 = tt.splat %x_117 : i32 -> tensor<64x1xi32, #blocked>
      %y_125 = arith.cmpi slt, %b_40, %y_124 : tensor<64x1xi32, #blocked>
      %y_126 = tt.broadcast %y_125 : tensor<64x1xi1, #blocked> -> tensor<64x128xi1, #blocked>
      %y_127 = arith.andi %y_126, %y_55 : tensor<64x128xi1, #blocked>
      %y_128 = tt.load %b_114, %y_127, %cst : tensor<64x128x!tt.ptr<f16>, #blocked>
      %y_129 = ttg.local_load %y_110 : !ttg.memdesc<64x128xf16, #shared1, #smem, mutable> -> tensor<64x128xf16, #ttg.dot_op<{opIdx = 1, parent = #mma, kWidth = 4}>>
      %acc_130 = tt.dot %x_123, %y_129, %arg10, inputPrecision = tf32 : tensor<128x64xf16, #ttg.dot_op<{opIdx = 0, parent = #mma, kWidth = 4}>> * tensor<64x128xf16, #ttg.dot_op<{opIdx = 1, parent = #mma, kWidth = 4}>> -> tensor<128x128xf32, #mma>
      %acc_131 = arith.addi %acc_107, %c1_i32 : i32
      %acc_132 = arith.cmpi slt, %acc_131, %c2_i32 : i32
      %acc_133 = arith.select %acc_132, %acc_131, %c0_i32 : i32
      %x_134 = ttg.memdesc_index %x_61[%acc_133] : !ttg.memdesc<2x128x64xf16, #shared, #smem, mutable> -> !ttg.memdesc<128x64xf16, #shared, #smem, mutable>
      ttg.local_store %x_122, %x_134 : tensor<128x64xf16, #blocked1> -> !ttg.memdesc<128x64xf16, #shared, #smem, mutable>
      %y_135 = ttg.memdesc_index %y_62[%acc_133] : !ttg.memdesc<2x64x128xf16, #shared1, #smem, mutable> -> !ttg.memdesc<64x128xf16, #shared1, #smem, mutable>
      %y_136 = amdg.in_thread_transpose %y_128 : tensor<64x128xf16, #blocked> -> tensor<64x128xf16, #linear>
      ttg.local_store %y_136, %y_135 : tensor<64x128xf16, #linear> -> !ttg.memdesc<64x128xf16, #shared1, #smem, mutable>
      scf.yield %acc_130, %a_113, %acc_133, %x_109, %x_134, %y_111, %y_135, %b_114 : tensor<128x128xf32, #mma>, tensor<128x64x!tt.ptr<f16>, #blocked1>, i32, !ttg.memdesc<128x64xf16, #shared, #smem, mutable>, !ttg.memdesc<128x64xf16, #shared, #smem, mutable>, !ttg.memdesc<64x128xf16, #shared1, #smem, mutable>, !ttg.memdesc<64x128xf16, #shared1, #smem, mutable>, tensor<64x128x!tt.ptr<f16>, #blocked>
    }
    %acc_89 = arith.cmpi sge, %1, %c1_i32 : i32
    %acc_90 = arith.cmpi sge, %1, %c2_i32 : i32
    %x_91 = ttg.local_load %acc_88#3 : !ttg.memdesc<128x64xf16, #shared, #smem, mutable> -> tensor<128x64xf16, #ttg.dot_op<{opIdx = 0, parent = #mma, kWidth = 4}>>
    %y_92 = ttg.local_load %acc_88#5 : !ttg.memdesc<64x128xf16, #shared1, #smem, mutable> -> tensor<64x128xf16, #ttg.dot_op<{opIdx = 1, parent = #mma, kWidth = 4}>>
    %acc_93 = scf.if %acc_89 -> (tensor<128x128xf32, #mma>) {
      %acc_105 = tt.dot %x_91, %y_92, %acc_88#0, inputPrecision = tf32 : tensor<128x64xf16, #ttg.dot_op<{opIdx = 0, parent = #mma, kWidth = 4}>> * tensor<64x128xf16, #ttg.dot_op<{opIdx = 1, parent = #mma, kWidth = 4}>> -> tensor<128x128xf32, #mma>
      scf.yield %acc_105 : tensor<128x128xf32, #mma>
    } else {
      scf.yield %acc_88#0 : tensor<128x128xf32, #mma>
    }
    %acc_94 = arith.select %acc_89, %acc_93, %acc_88#0 : tensor<128x128xf32, #mma>
    %x_95 = ttg.local_load %acc_88#4 : !ttg.memdesc<128x64xf16, #shared, #smem, mutable> -> tensor<128x64xf16, #ttg.dot_op<{opIdx = 0, parent = #mma, kWidth = 4}>>
    %y_96 = ttg.local_load %acc_88#6 : !ttg.memdesc<64x128xf16, #shared1, #smem, mutable> -> tensor<64x128xf16, #ttg.dot_op<{opIdx = 1, parent = #mma, kWidth = 4}>>
    %acc_97 = scf.if %acc_90 -> (tensor<128x128xf32, #mma>) {
      %acc_105 = tt.dot %x_95, %y_96, %acc_94, inputPrecision = tf32 : tensor<128x64xf16, #ttg.dot_op<{opIdx = 0, parent = #mma, kWidth = 4}>> * tensor<64x128xf16, #ttg.dot_op<{opIdx = 1, parent = #mma, kWidth = 4}>> -> tensor<128x128xf32, #mma>
      scf.yield %acc_105 : tensor<128x128xf32, #mma>
    } else {
      scf.yield %acc_94 : tensor<128x128xf32, #mma>
    }
    %acc_98 = arith.select %acc_90, %acc_97, %acc_94 : tensor<128x128xf32, #mma>
    ttg.local_dealloc %y_62 : !ttg.memdesc<2x64x128xf16, #shared1, #smem, mutable>
    ttg.local_dealloc %x_61 : !ttg.memdesc<2x128x64xf16, #shared, #smem, mutable>
    %c = tt.splat %stride_cm : i32 -> tensor<128x1xi32, #mma>
    %c_99 = arith.muli %a_21, %c : tensor<128x1xi32, #mma>
    %c_100 = tt.splat %c_ptr : !tt.ptr<f16> -> tensor<128x1x!tt.ptr<f16>, #mma>
    %c_101 = tt.addptr %c_100, %c_99 : tensor<128x1x!tt.ptr<f16>, #mma>, tensor<128x1xi32, #mma>
    %c_102 = tt.broadcast %c_101 : tensor<128x1x!tt.ptr<f16>, #mma> -> tensor<128x128x!tt.ptr<f16>, #mma>
    %c_103 = tt.broadcast %b_45 : tensor<1x128xi32, #mma> -> tensor<128x128xi32, #mma>
    %c_104 = tt.addptr %c_102, %c_103 : tensor<128x128x!tt.ptr<f16>, #mma>, tensor<128x128xi32, #mma>
    %2 = tt.splat %M : i32 -> tensor<128x1xi32, #mma>
    %3 = arith.cmpi slt, %a_21, %2 : tensor<128x1xi32, #mma>
    %4 = tt.splat %N : i32 -> tensor<1x128xi32, #mma>
    %5 = arith.cmpi slt, %b_45, %4 : tensor<1x128xi32, #mma>
    %6 = tt.broadcast %3 : tensor<128x1xi1, #mma> -> tensor<128x128xi1, #mma>
    %7 = tt.broadcast %5 : tensor<1x128xi1, #mma> -> tensor<128x128xi1, #mma>
    %8 = arith.andi %6, %7 : tensor<128x128xi1, #mma>
    %9 = arith.truncf %acc_98 : tensor<128x128xf32, #mma> to tensor<128x128xf16, #mma>
    tt.store %c_104, %9, %8 : tensor<128x128x!tt.ptr<f16>, #mma>
    tt.return
  }
}

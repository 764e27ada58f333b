export type Json =
  | string
  | number
  | boolean
  | null
  | { [key: string]: Json | undefined }
  | Json[]

export type Database = {
  public: {
    Tables: {
      agencies: {
        Row: {
          created_at: string
          id: string
          name: string
          sector: Database["public"]["Enums"]["sector"]
        }
        Insert: {
          created_at?: string
          id?: string
          name: string
          sector: Database["public"]["Enums"]["sector"]
        }
        Update: {
          created_at?: string
          id?: string
          name?: string
          sector?: Database["public"]["Enums"]["sector"]
        }
        Relationships: []
      }
      app_settings: {
        Row: {
          app_url: string
          id: boolean
          reminder_days: number[]
          updated_at: string
        }
        Insert: {
          app_url?: string
          id?: boolean
          reminder_days?: number[]
          updated_at?: string
        }
        Update: {
          app_url?: string
          id?: boolean
          reminder_days?: number[]
          updated_at?: string
        }
        Relationships: []
      }
      attendance_events: {
        Row: {
          booking_id: string | null
          device_id: string | null
          id: string
          marked_at: string
          marked_by: string
          received_at: string
          session_id: string
          source: Database["public"]["Enums"]["attendance_source"]
          status: Database["public"]["Enums"]["attendance_status"] | null
          supersedes: string[]
          walk_in_id: string | null
        }
        Insert: {
          booking_id?: string | null
          device_id?: string | null
          id: string
          marked_at: string
          marked_by: string
          received_at?: string
          session_id: string
          source: Database["public"]["Enums"]["attendance_source"]
          status?: Database["public"]["Enums"]["attendance_status"] | null
          supersedes?: string[]
          walk_in_id?: string | null
        }
        Update: {
          booking_id?: string | null
          device_id?: string | null
          id?: string
          marked_at?: string
          marked_by?: string
          received_at?: string
          session_id?: string
          source?: Database["public"]["Enums"]["attendance_source"]
          status?: Database["public"]["Enums"]["attendance_status"] | null
          supersedes?: string[]
          walk_in_id?: string | null
        }
        Relationships: [
          {
            foreignKeyName: "attendance_events_booking_id_fkey"
            columns: ["booking_id"]
            referencedRelation: "bookings"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "attendance_events_marked_by_fkey"
            columns: ["marked_by"]
            referencedRelation: "profiles"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "attendance_events_session_id_fkey"
            columns: ["session_id"]
            referencedRelation: "sessions"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "attendance_events_walk_in_id_fkey"
            columns: ["walk_in_id"]
            referencedRelation: "walk_in_attendees"
            referencedColumns: ["id"]
          },
        ]
      }
      booking_answers: {
        Row: {
          answered_at: string
          answers: NonNullable<Json>
          booking_id: string
          session_id: string
          user_id: string
        }
        Insert: {
          answered_at?: string
          answers: NonNullable<Json>
          booking_id: string
          session_id: string
          user_id: string
        }
        Update: {
          answered_at?: string
          answers?: NonNullable<Json>
          booking_id?: string
          session_id?: string
          user_id?: string
        }
        Relationships: [
          {
            foreignKeyName: "booking_answers_booking_id_fkey"
            columns: ["booking_id"]
            referencedRelation: "bookings"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "booking_answers_session_id_fkey"
            columns: ["session_id"]
            referencedRelation: "sessions"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "booking_answers_user_id_fkey"
            columns: ["user_id"]
            referencedRelation: "profiles"
            referencedColumns: ["id"]
          },
        ]
      }
      bookings: {
        Row: {
          booked_by: string | null
          cancelled_at: string | null
          certificate_ref: string
          confirmed_at: string | null
          created_at: string
          id: string
          offer_expires_at: string | null
          session_id: string
          status: Database["public"]["Enums"]["booking_status"]
          updated_at: string
          user_id: string
          waitlisted_at: string | null
        }
        Insert: {
          booked_by?: string | null
          cancelled_at?: string | null
          certificate_ref?: string
          confirmed_at?: string | null
          created_at?: string
          id?: string
          offer_expires_at?: string | null
          session_id: string
          status?: Database["public"]["Enums"]["booking_status"]
          updated_at?: string
          user_id: string
          waitlisted_at?: string | null
        }
        Update: {
          booked_by?: string | null
          cancelled_at?: string | null
          certificate_ref?: string
          confirmed_at?: string | null
          created_at?: string
          id?: string
          offer_expires_at?: string | null
          session_id?: string
          status?: Database["public"]["Enums"]["booking_status"]
          updated_at?: string
          user_id?: string
          waitlisted_at?: string | null
        }
        Relationships: [
          {
            foreignKeyName: "bookings_booked_by_fkey"
            columns: ["booked_by"]
            referencedRelation: "profiles"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "bookings_session_id_fkey"
            columns: ["session_id"]
            referencedRelation: "sessions"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "bookings_user_id_fkey"
            columns: ["user_id"]
            referencedRelation: "profiles"
            referencedColumns: ["id"]
          },
        ]
      }
      change_log: {
        Row: {
          audience: string
          entity: string
          entity_id: string
          seq: number
          txid: unknown
        }
        Insert: {
          audience: string
          entity: string
          entity_id: string
          seq?: number
          txid?: unknown
        }
        Update: {
          audience?: string
          entity?: string
          entity_id?: string
          seq?: number
          txid?: unknown
        }
        Relationships: []
      }
      checkin_failures: {
        Row: {
          failed_at: string
          session_id: string
          user_id: string
        }
        Insert: {
          failed_at?: string
          session_id: string
          user_id: string
        }
        Update: {
          failed_at?: string
          session_id?: string
          user_id?: string
        }
        Relationships: [
          {
            foreignKeyName: "checkin_failures_session_id_fkey"
            columns: ["session_id"]
            referencedRelation: "sessions"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "checkin_failures_user_id_fkey"
            columns: ["user_id"]
            referencedRelation: "profiles"
            referencedColumns: ["id"]
          },
        ]
      }
      courses: {
        Row: {
          audience: string
          booking_questions: string[]
          created_at: string
          description: string
          duration_minutes: number
          elearning_url: string | null
          followup_weeks: number
          format: Database["public"]["Enums"]["course_format"]
          id: string
          level: Database["public"]["Enums"]["course_level"]
          published_at: string | null
          renew_years: number | null
          series: string | null
          slug: string
          status: Database["public"]["Enums"]["course_status"]
          summary: string
          themes: string[]
          title: string
          updated_at: string
        }
        Insert: {
          audience: string
          booking_questions?: string[]
          created_at?: string
          description?: string
          duration_minutes: number
          elearning_url?: string | null
          followup_weeks?: number
          format: Database["public"]["Enums"]["course_format"]
          id?: string
          level: Database["public"]["Enums"]["course_level"]
          published_at?: string | null
          renew_years?: number | null
          series?: string | null
          slug: string
          status?: Database["public"]["Enums"]["course_status"]
          summary: string
          themes?: string[]
          title: string
          updated_at?: string
        }
        Update: {
          audience?: string
          booking_questions?: string[]
          created_at?: string
          description?: string
          duration_minutes?: number
          elearning_url?: string | null
          followup_weeks?: number
          format?: Database["public"]["Enums"]["course_format"]
          id?: string
          level?: Database["public"]["Enums"]["course_level"]
          published_at?: string | null
          renew_years?: number | null
          series?: string | null
          slug?: string
          status?: Database["public"]["Enums"]["course_status"]
          summary?: string
          themes?: string[]
          title?: string
          updated_at?: string
        }
        Relationships: []
      }
      evaluation_ratings: {
        Row: {
          after: number
          before: number
          evaluation_id: string
          outcome_id: string
        }
        Insert: {
          after: number
          before: number
          evaluation_id: string
          outcome_id: string
        }
        Update: {
          after?: number
          before?: number
          evaluation_id?: string
          outcome_id?: string
        }
        Relationships: [
          {
            foreignKeyName: "evaluation_ratings_evaluation_id_fkey"
            columns: ["evaluation_id"]
            referencedRelation: "evaluations"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "evaluation_ratings_outcome_id_fkey"
            columns: ["outcome_id"]
            referencedRelation: "learning_outcomes"
            referencedColumns: ["id"]
          },
        ]
      }
      evaluation_requests: {
        Row: {
          reminded_at: string | null
          requested_at: string
          session_id: string
          user_id: string
        }
        Insert: {
          reminded_at?: string | null
          requested_at?: string
          session_id: string
          user_id: string
        }
        Update: {
          reminded_at?: string | null
          requested_at?: string
          session_id?: string
          user_id?: string
        }
        Relationships: [
          {
            foreignKeyName: "evaluation_requests_session_id_fkey"
            columns: ["session_id"]
            referencedRelation: "sessions"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "evaluation_requests_user_id_fkey"
            columns: ["user_id"]
            referencedRelation: "profiles"
            referencedColumns: ["id"]
          },
        ]
      }
      evaluations: {
        Row: {
          anonymised: boolean
          comments: string | null
          entered_by: string | null
          from_paper: boolean
          id: string
          overall: number
          practice_change: string
          session_id: string
          submitted_at: string
          user_id: string | null
        }
        Insert: {
          anonymised?: boolean
          comments?: string | null
          entered_by?: string | null
          from_paper?: boolean
          id: string
          overall: number
          practice_change: string
          session_id: string
          submitted_at?: string
          user_id?: string | null
        }
        Update: {
          anonymised?: boolean
          comments?: string | null
          entered_by?: string | null
          from_paper?: boolean
          id?: string
          overall?: number
          practice_change?: string
          session_id?: string
          submitted_at?: string
          user_id?: string | null
        }
        Relationships: [
          {
            foreignKeyName: "evaluations_entered_by_fkey"
            columns: ["entered_by"]
            referencedRelation: "profiles"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "evaluations_session_id_fkey"
            columns: ["session_id"]
            referencedRelation: "sessions"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "evaluations_user_id_fkey"
            columns: ["user_id"]
            referencedRelation: "profiles"
            referencedColumns: ["id"]
          },
        ]
      }
      followup_ratings: {
        Row: {
          end_rating: number | null
          followup_id: string
          now_rating: number
          outcome_id: string
        }
        Insert: {
          end_rating?: number | null
          followup_id: string
          now_rating: number
          outcome_id: string
        }
        Update: {
          end_rating?: number | null
          followup_id?: string
          now_rating?: number
          outcome_id?: string
        }
        Relationships: [
          {
            foreignKeyName: "followup_ratings_followup_id_fkey"
            columns: ["followup_id"]
            referencedRelation: "followups"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "followup_ratings_outcome_id_fkey"
            columns: ["outcome_id"]
            referencedRelation: "learning_outcomes"
            referencedColumns: ["id"]
          },
        ]
      }
      followups: {
        Row: {
          anonymised: boolean
          applied: Database["public"]["Enums"]["followup_applied"] | null
          barriers: string | null
          barriers_key: string | null
          example: string | null
          id: string
          reminded_at: string | null
          requested_at: string
          session_id: string
          submitted_at: string | null
          user_id: string | null
        }
        Insert: {
          anonymised?: boolean
          applied?: Database["public"]["Enums"]["followup_applied"] | null
          barriers?: string | null
          barriers_key?: never
          example?: string | null
          id: string
          reminded_at?: string | null
          requested_at: string
          session_id: string
          submitted_at?: string | null
          user_id?: string | null
        }
        Update: {
          anonymised?: boolean
          applied?: Database["public"]["Enums"]["followup_applied"] | null
          barriers?: string | null
          barriers_key?: never
          example?: string | null
          id?: string
          reminded_at?: string | null
          requested_at?: string
          session_id?: string
          submitted_at?: string | null
          user_id?: string | null
        }
        Relationships: [
          {
            foreignKeyName: "followups_session_id_fkey"
            columns: ["session_id"]
            referencedRelation: "sessions"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "followups_user_id_fkey"
            columns: ["user_id"]
            referencedRelation: "profiles"
            referencedColumns: ["id"]
          },
        ]
      }
      impact_facts: {
        Row: {
          agency_id: string | null
          attendance: Database["public"]["Enums"]["attendance_status"] | null
          booking_id: string | null
          booking_status: Database["public"]["Enums"]["booking_status"] | null
          cancelled_at: string | null
          change_n: number | null
          change_sum: number | null
          evaluation_id: string | null
          followup_applied:
            | Database["public"]["Enums"]["followup_applied"]
            | null
          followup_barriers: boolean
          followup_id: string | null
          held_place: boolean
          id: string
          person: string
          session_id: string
          waitlisted: boolean
          walk_in_id: string | null
        }
        Insert: {
          agency_id?: string | null
          attendance?: Database["public"]["Enums"]["attendance_status"] | null
          booking_id?: string | null
          booking_status?: Database["public"]["Enums"]["booking_status"] | null
          cancelled_at?: string | null
          change_n?: number | null
          change_sum?: number | null
          evaluation_id?: string | null
          followup_applied?:
            | Database["public"]["Enums"]["followup_applied"]
            | null
          followup_barriers?: boolean
          followup_id?: string | null
          held_place?: boolean
          id?: string
          person: string
          session_id: string
          waitlisted?: boolean
          walk_in_id?: string | null
        }
        Update: {
          agency_id?: string | null
          attendance?: Database["public"]["Enums"]["attendance_status"] | null
          booking_id?: string | null
          booking_status?: Database["public"]["Enums"]["booking_status"] | null
          cancelled_at?: string | null
          change_n?: number | null
          change_sum?: number | null
          evaluation_id?: string | null
          followup_applied?:
            | Database["public"]["Enums"]["followup_applied"]
            | null
          followup_barriers?: boolean
          followup_id?: string | null
          held_place?: boolean
          id?: string
          person?: string
          session_id?: string
          waitlisted?: boolean
          walk_in_id?: string | null
        }
        Relationships: [
          {
            foreignKeyName: "impact_facts_agency_id_fkey"
            columns: ["agency_id"]
            referencedRelation: "agencies"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "impact_facts_booking_id_fkey"
            columns: ["booking_id"]
            referencedRelation: "bookings"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "impact_facts_evaluation_id_fkey"
            columns: ["evaluation_id"]
            referencedRelation: "evaluations"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "impact_facts_followup_id_fkey"
            columns: ["followup_id"]
            referencedRelation: "followups"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "impact_facts_session_id_fkey"
            columns: ["session_id"]
            referencedRelation: "sessions"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "impact_facts_walk_in_id_fkey"
            columns: ["walk_in_id"]
            referencedRelation: "walk_in_attendees"
            referencedColumns: ["id"]
          },
        ]
      }
      impact_place_counts: {
        Row: {
          agency_id: string | null
          applied_no: number
          applied_partly: number
          applied_yes: number
          attended: number
          cancellations: number
          confirmed: number
          followups: number
          followups_answered: number
          late_cancellations: number
          no_shows: number
          places: number
          responses: number
          session_id: string
          unmet_demand: number
        }
        Insert: {
          agency_id?: string | null
          applied_no?: number
          applied_partly?: number
          applied_yes?: number
          attended?: number
          cancellations?: number
          confirmed?: number
          followups?: number
          followups_answered?: number
          late_cancellations?: number
          no_shows?: number
          places?: number
          responses?: number
          session_id: string
          unmet_demand?: number
        }
        Update: {
          agency_id?: string | null
          applied_no?: number
          applied_partly?: number
          applied_yes?: number
          attended?: number
          cancellations?: number
          confirmed?: number
          followups?: number
          followups_answered?: number
          late_cancellations?: number
          no_shows?: number
          places?: number
          responses?: number
          session_id?: string
          unmet_demand?: number
        }
        Relationships: [
          {
            foreignKeyName: "impact_place_counts_session_id_fkey"
            columns: ["session_id"]
            referencedRelation: "sessions"
            referencedColumns: ["id"]
          },
        ]
      }
      impact_session_changes: {
        Row: {
          change_n: number
          change_sum: number
          n: number
          session_id: string
        }
        Insert: {
          change_n: number
          change_sum: number
          n: number
          session_id: string
        }
        Update: {
          change_n?: number
          change_sum?: number
          n?: number
          session_id?: string
        }
        Relationships: [
          {
            foreignKeyName: "impact_session_changes_session_id_fkey"
            columns: ["session_id"]
            referencedRelation: "sessions"
            referencedColumns: ["id"]
          },
        ]
      }
      impact_session_followup_ratings: {
        Row: {
          change: number
          n: number
          outcome_id: string
          session_id: string
          sum_end: number
          sum_now: number
        }
        Insert: {
          change: number
          n: number
          outcome_id: string
          session_id: string
          sum_end: number
          sum_now: number
        }
        Update: {
          change?: number
          n?: number
          outcome_id?: string
          session_id?: string
          sum_end?: number
          sum_now?: number
        }
        Relationships: [
          {
            foreignKeyName: "impact_session_followup_ratings_outcome_id_fkey"
            columns: ["outcome_id"]
            referencedRelation: "learning_outcomes"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "impact_session_followup_ratings_session_id_fkey"
            columns: ["session_id"]
            referencedRelation: "sessions"
            referencedColumns: ["id"]
          },
        ]
      }
      impact_session_ratings: {
        Row: {
          change: number
          n: number
          outcome_id: string
          session_id: string
          sum_after: number
          sum_before: number
        }
        Insert: {
          change: number
          n: number
          outcome_id: string
          session_id: string
          sum_after: number
          sum_before: number
        }
        Update: {
          change?: number
          n?: number
          outcome_id?: string
          session_id?: string
          sum_after?: number
          sum_before?: number
        }
        Relationships: [
          {
            foreignKeyName: "impact_session_ratings_outcome_id_fkey"
            columns: ["outcome_id"]
            referencedRelation: "learning_outcomes"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "impact_session_ratings_session_id_fkey"
            columns: ["session_id"]
            referencedRelation: "sessions"
            referencedColumns: ["id"]
          },
        ]
      }
      learning_outcomes: {
        Row: {
          course_id: string
          created_at: string
          id: string
          position: number
          retired_at: string | null
          text: string
        }
        Insert: {
          course_id: string
          created_at?: string
          id?: string
          position: number
          retired_at?: string | null
          text: string
        }
        Update: {
          course_id?: string
          created_at?: string
          id?: string
          position?: number
          retired_at?: string | null
          text?: string
        }
        Relationships: [
          {
            foreignKeyName: "learning_outcomes_course_id_fkey"
            columns: ["course_id"]
            referencedRelation: "courses"
            referencedColumns: ["id"]
          },
        ]
      }
      notifications: {
        Row: {
          attempts: number
          body: string
          claimed_at: string | null
          created_at: string
          dedupe_key: string | null
          error: string | null
          id: string
          kind: string
          next_attempt_at: string
          notify_id: string | null
          sent_at: string | null
          status: Database["public"]["Enums"]["notification_status"]
          subject: string
          to_email: string
          user_id: string | null
          email_due: boolean | null
        }
        Insert: {
          attempts?: number
          body: string
          claimed_at?: string | null
          created_at?: string
          dedupe_key?: string | null
          error?: string | null
          id?: string
          kind: string
          next_attempt_at?: string
          notify_id?: string | null
          sent_at?: string | null
          status?: Database["public"]["Enums"]["notification_status"]
          subject: string
          to_email: string
          user_id?: string | null
        }
        Update: {
          attempts?: number
          body?: string
          claimed_at?: string | null
          created_at?: string
          dedupe_key?: string | null
          error?: string | null
          id?: string
          kind?: string
          next_attempt_at?: string
          notify_id?: string | null
          sent_at?: string | null
          status?: Database["public"]["Enums"]["notification_status"]
          subject?: string
          to_email?: string
          user_id?: string | null
        }
        Relationships: [
          {
            foreignKeyName: "notifications_user_id_fkey"
            columns: ["user_id"]
            referencedRelation: "profiles"
            referencedColumns: ["id"]
          },
        ]
      }
      offline_checkins: {
        Row: {
          booking_id: string | null
          decided_by_mark: string | null
          id: string
          received_at: string
          scanned_at: string | null
          session_id: string
          shown_at: string
          status: Database["public"]["Enums"]["attendance_status"]
          user_id: string
          walk_in_id: string | null
        }
        Insert: {
          booking_id?: string | null
          decided_by_mark?: string | null
          id: string
          received_at?: string
          scanned_at?: string | null
          session_id: string
          shown_at: string
          status: Database["public"]["Enums"]["attendance_status"]
          user_id: string
          walk_in_id?: string | null
        }
        Update: {
          booking_id?: string | null
          decided_by_mark?: string | null
          id?: string
          received_at?: string
          scanned_at?: string | null
          session_id?: string
          shown_at?: string
          status?: Database["public"]["Enums"]["attendance_status"]
          user_id?: string
          walk_in_id?: string | null
        }
        Relationships: [
          {
            foreignKeyName: "offline_checkins_booking_id_fkey"
            columns: ["booking_id"]
            referencedRelation: "bookings"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "offline_checkins_decided_by_mark_fkey"
            columns: ["decided_by_mark"]
            referencedRelation: "attendance_events"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "offline_checkins_session_id_fkey"
            columns: ["session_id"]
            referencedRelation: "sessions"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "offline_checkins_user_id_fkey"
            columns: ["user_id"]
            referencedRelation: "profiles"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "offline_checkins_walk_in_id_fkey"
            columns: ["walk_in_id"]
            referencedRelation: "walk_in_attendees"
            referencedColumns: ["id"]
          },
        ]
      }
      profiles: {
        Row: {
          agency_id: string | null
          created_at: string
          email: string
          full_name: string | null
          id: string
          job_role: string | null
          updated_at: string
        }
        Insert: {
          agency_id?: string | null
          created_at?: string
          email: string
          full_name?: string | null
          id: string
          job_role?: string | null
          updated_at?: string
        }
        Update: {
          agency_id?: string | null
          created_at?: string
          email?: string
          full_name?: string | null
          id?: string
          job_role?: string | null
          updated_at?: string
        }
        Relationships: [
          {
            foreignKeyName: "profiles_agency_id_fkey"
            columns: ["agency_id"]
            referencedRelation: "agencies"
            referencedColumns: ["id"]
          },
        ]
      }
      register_closures: {
        Row: {
          closed_at: string
          closed_by: string
          session_id: string
        }
        Insert: {
          closed_at?: string
          closed_by: string
          session_id: string
        }
        Update: {
          closed_at?: string
          closed_by?: string
          session_id?: string
        }
        Relationships: [
          {
            foreignKeyName: "register_closures_closed_by_fkey"
            columns: ["closed_by"]
            referencedRelation: "profiles"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "register_closures_session_id_fkey"
            columns: ["session_id"]
            referencedRelation: "sessions"
            referencedColumns: ["id"]
          },
        ]
      }
      retention_policy: {
        Row: {
          id: boolean
          keep_personal_data: string
          updated_at: string
        }
        Insert: {
          id?: boolean
          keep_personal_data?: string
          updated_at?: string
        }
        Update: {
          id?: boolean
          keep_personal_data?: string
          updated_at?: string
        }
        Relationships: []
      }
      scheduled_jobs: {
        Row: {
          about: string
          command: string
          name: string
          schedule: string
        }
        Insert: {
          about: string
          command: string
          name: string
          schedule: string
        }
        Update: {
          about?: string
          command?: string
          name?: string
          schedule?: string
        }
        Relationships: []
      }
      session_checkin_keys: {
        Row: {
          secret: string
          session_id: string
        }
        Insert: {
          secret?: string
          session_id: string
        }
        Update: {
          secret?: string
          session_id?: string
        }
        Relationships: [
          {
            foreignKeyName: "session_checkin_keys_session_id_fkey"
            columns: ["session_id"]
            referencedRelation: "sessions"
            referencedColumns: ["id"]
          },
        ]
      }
      session_trainers: {
        Row: {
          id: string
          session_id: string
          trainer_id: string
        }
        Insert: {
          id?: string
          session_id: string
          trainer_id: string
        }
        Update: {
          id?: string
          session_id?: string
          trainer_id?: string
        }
        Relationships: [
          {
            foreignKeyName: "session_trainers_session_id_fkey"
            columns: ["session_id"]
            referencedRelation: "sessions"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "session_trainers_trainer_id_fkey"
            columns: ["trainer_id"]
            referencedRelation: "profiles"
            referencedColumns: ["id"]
          },
        ]
      }
      sessions: {
        Row: {
          booking_closes_at: string
          calendar_sequence: number
          cancelled_reason: string | null
          capacity: number
          course_id: string
          created_at: string
          ends_at: string
          id: string
          join_url: string | null
          offer_hours: number
          starts_at: string
          status: Database["public"]["Enums"]["session_status"]
          updated_at: string
          venue_address: string | null
          venue_name: string | null
          waitlist_mode: Database["public"]["Enums"]["waitlist_mode"]
        }
        Insert: {
          booking_closes_at: string
          calendar_sequence?: number
          cancelled_reason?: string | null
          capacity: number
          course_id: string
          created_at?: string
          ends_at: string
          id?: string
          join_url?: string | null
          offer_hours?: number
          starts_at: string
          status?: Database["public"]["Enums"]["session_status"]
          updated_at?: string
          venue_address?: string | null
          venue_name?: string | null
          waitlist_mode?: Database["public"]["Enums"]["waitlist_mode"]
        }
        Update: {
          booking_closes_at?: string
          calendar_sequence?: number
          cancelled_reason?: string | null
          capacity?: number
          course_id?: string
          created_at?: string
          ends_at?: string
          id?: string
          join_url?: string | null
          offer_hours?: number
          starts_at?: string
          status?: Database["public"]["Enums"]["session_status"]
          updated_at?: string
          venue_address?: string | null
          venue_name?: string | null
          waitlist_mode?: Database["public"]["Enums"]["waitlist_mode"]
        }
        Relationships: [
          {
            foreignKeyName: "sessions_course_id_fkey"
            columns: ["course_id"]
            referencedRelation: "courses"
            referencedColumns: ["id"]
          },
        ]
      }
      staff_role_changes: {
        Row: {
          agency_id: string | null
          change: string
          changed_at: string
          changed_by: string
          id: string
          role: Database["public"]["Enums"]["staff_role"]
          user_id: string
        }
        Insert: {
          agency_id?: string | null
          change: string
          changed_at?: string
          changed_by: string
          id?: string
          role: Database["public"]["Enums"]["staff_role"]
          user_id: string
        }
        Update: {
          agency_id?: string | null
          change?: string
          changed_at?: string
          changed_by?: string
          id?: string
          role?: Database["public"]["Enums"]["staff_role"]
          user_id?: string
        }
        Relationships: [
          {
            foreignKeyName: "staff_role_changes_agency_id_fkey"
            columns: ["agency_id"]
            referencedRelation: "agencies"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "staff_role_changes_changed_by_fkey"
            columns: ["changed_by"]
            referencedRelation: "profiles"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "staff_role_changes_user_id_fkey"
            columns: ["user_id"]
            referencedRelation: "profiles"
            referencedColumns: ["id"]
          },
        ]
      }
      staff_roles: {
        Row: {
          agency_id: string | null
          granted_at: string
          role: Database["public"]["Enums"]["staff_role"]
          user_id: string
        }
        Insert: {
          agency_id?: string | null
          granted_at?: string
          role: Database["public"]["Enums"]["staff_role"]
          user_id: string
        }
        Update: {
          agency_id?: string | null
          granted_at?: string
          role?: Database["public"]["Enums"]["staff_role"]
          user_id?: string
        }
        Relationships: [
          {
            foreignKeyName: "staff_roles_agency_id_fkey"
            columns: ["agency_id"]
            referencedRelation: "agencies"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "staff_roles_user_id_fkey"
            columns: ["user_id"]
            referencedRelation: "profiles"
            referencedColumns: ["id"]
          },
        ]
      }
      sync_entities: {
        Row: {
          entity: string
          row_function: unknown
        }
        Insert: {
          entity: string
          row_function: unknown
        }
        Update: {
          entity?: string
          row_function?: unknown
        }
        Relationships: []
      }
      sync_ledger_pruned: {
        Row: {
          device_id: string
          pruned_at: string
          pruned_through_seq: number
          user_id: string
        }
        Insert: {
          device_id: string
          pruned_at: string
          pruned_through_seq: number
          user_id: string
        }
        Update: {
          device_id?: string
          pruned_at?: string
          pruned_through_seq?: number
          user_id?: string
        }
        Relationships: []
      }
      sync_mutation_handlers: {
        Row: {
          batch_handler: unknown
          handler: unknown
          name: string
        }
        Insert: {
          batch_handler?: unknown
          handler: unknown
          name: string
        }
        Update: {
          batch_handler?: unknown
          handler?: unknown
          name?: string
        }
        Relationships: []
      }
      sync_mutations: {
        Row: {
          args: Json | null
          device_id: string
          id: string
          name: string
          received_at: string
          result: NonNullable<Json>
          seq: number
          user_id: string
        }
        Insert: {
          args?: Json | null
          device_id: string
          id: string
          name: string
          received_at?: string
          result: NonNullable<Json>
          seq: number
          user_id: string
        }
        Update: {
          args?: Json | null
          device_id?: string
          id?: string
          name?: string
          received_at?: string
          result?: NonNullable<Json>
          seq?: number
          user_id?: string
        }
        Relationships: []
      }
      walk_in_attendees: {
        Row: {
          added_by: string
          agency_id: string | null
          agency_name: string | null
          anonymised: boolean
          certificate_ref: string
          created_at: string
          email: string | null
          full_name: string
          id: string
          session_id: string
        }
        Insert: {
          added_by: string
          agency_id?: string | null
          agency_name?: string | null
          anonymised?: boolean
          certificate_ref?: string
          created_at?: string
          email?: string | null
          full_name: string
          id?: string
          session_id: string
        }
        Update: {
          added_by?: string
          agency_id?: string | null
          agency_name?: string | null
          anonymised?: boolean
          certificate_ref?: string
          created_at?: string
          email?: string | null
          full_name?: string
          id?: string
          session_id?: string
        }
        Relationships: [
          {
            foreignKeyName: "walk_in_attendees_added_by_fkey"
            columns: ["added_by"]
            referencedRelation: "profiles"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "walk_in_attendees_agency_id_fkey"
            columns: ["agency_id"]
            referencedRelation: "agencies"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "walk_in_attendees_session_id_fkey"
            columns: ["session_id"]
            referencedRelation: "sessions"
            referencedColumns: ["id"]
          },
        ]
      }
    }
    Views: {
      [_ in never]: never
    }
    Functions: {
      add_walk_in: { Args: { p_args: Json }; Returns: Json }
      admin_assign_trainer: {
        Args: {
          p_assigned: boolean
          p_session_id: string
          p_trainer_id: string
        }
        Returns: undefined
      }
      admin_cancel_session: {
        Args: { p_reason: string; p_session_id: string }
        Returns: number
      }
      admin_create_webinar_wednesday: {
        Args: {
          p_capacity: number
          p_date: string
          p_theme: string
          p_webinars: Json
        }
        Returns: Json
      }
      admin_emails: {
        Args: {
          p_limit?: number
          p_status?: Database["public"]["Enums"]["notification_status"]
        }
        Returns: Json
      }
      admin_grant_role: { Args: { p_args: Json }; Returns: Json }
      admin_remove_role: { Args: { p_args: Json }; Returns: Json }
      admin_reopen_register: {
        Args: { p_session_id: string }
        Returns: boolean
      }
      admin_resend_email: { Args: { p_id: string }; Returns: Json }
      admin_save_course: { Args: { p_course: Json }; Returns: Json }
      admin_save_outcomes: {
        Args: { p_course_id: string; p_outcomes: Json }
        Returns: Json
      }
      admin_save_session: { Args: { p_changes: Json }; Returns: Json }
      admin_set_course_status: {
        Args: {
          p_course_id: string
          p_status: Database["public"]["Enums"]["course_status"]
        }
        Returns: Json
      }
      admin_staff_role_changes: { Args: { p_limit?: number }; Returns: Json }
      agency_staff: { Args: Record<PropertyKey, never>; Returns: Json }
      agency_sync_row: { Args: { p_id: string }; Returns: Json }
      anonymise_person: { Args: { p_user: string }; Returns: undefined }
      anonymise_walk_ins: { Args: { p_email: string }; Returns: undefined }
      app_link: { Args: { p_path: string }; Returns: string }
      apply_mutation: { Args: { p_args: Json; p_name: string }; Returns: Json }
      apply_retention: { Args: { p_now?: string }; Returns: Json }
      attendance_heads: {
        Args: { p_booking_id: string; p_walk_in_id: string }
        Returns: {
          booking_id: string | null
          device_id: string | null
          id: string
          marked_at: string
          marked_by: string
          received_at: string
          session_id: string
          source: Database["public"]["Enums"]["attendance_source"]
          status: Database["public"]["Enums"]["attendance_status"] | null
          supersedes: string[]
          walk_in_id: string | null
        }[]
        SetofOptions: {
          from: "*"
          to: "attendance_events"
          isOneToOne: false
          isSetofReturn: true
        }
      }
      attendance_status_of: {
        Args: { p_booking_id: string }
        Returns: Database["public"]["Enums"]["attendance_status"]
      }
      attended_sessions: {
        Args: { p_user: string }
        Returns: {
          attendance: Database["public"]["Enums"]["attendance_status"]
          certificate_ref: string
          session_id: string
          user_id: string
        }[]
      }
      attendee_status: {
        Args: { p_booking_id: string; p_walk_in_id: string }
        Returns: Database["public"]["Enums"]["attendance_status"]
      }
      book_for_colleague: {
        Args: { p_booking_id: string; p_session_id: string; p_user_id: string }
        Returns: Json
      }
      book_session: {
        Args: { p_booking_id: string; p_session_id: string }
        Returns: Json
      }
      booking_answers_of: { Args: { p_booking_id: string }; Returns: Json }
      booking_attendance: {
        Args: { p_booking_id: string }
        Returns: Database["public"]["Enums"]["attendance_status"]
      }
      booking_cancel_mutation: { Args: { p_args: Json }; Returns: Json }
      booking_checkin_awaiting: {
        Args: { p_booking_id: string }
        Returns: boolean
      }
      booking_questions_valid: {
        Args: { p_questions: string[] }
        Returns: boolean
      }
      booking_request_mutation: { Args: { p_args: Json }; Returns: Json }
      booking_respond_to_offer_mutation: {
        Args: { p_args: Json }
        Returns: Json
      }
      booking_sync_row: { Args: { p_id: string }; Returns: Json }
      calendar_link: { Args: { p_booking_id: string }; Returns: string }
      can_take_register: { Args: { p_session_id: string }; Returns: boolean }
      cancel_booking: { Args: { p_booking_id: string }; Returns: Json }
      checked_booking_answers: { Args: { p_answers: Json }; Returns: Json }
      checked_line: {
        Args: { p_detail: string; p_label: string; p_value: string }
        Returns: string
      }
      checked_ratings: {
        Args: { p_fields: string[]; p_ratings: Json; p_session_id: string }
        Returns: {
          first_rating: number
          outcome_id: string
          second_rating: number
        }[]
      }
      checked_score: {
        Args: { p_label: string; p_value: Json }
        Returns: number
      }
      checked_text: {
        Args: {
          p_label: string
          p_max: number
          p_required?: boolean
          p_value: string
        }
        Returns: string
      }
      checkin_code: {
        Args: { p_secret: string; p_session_id: string; p_step: number }
        Returns: string
      }
      claim_emails: {
        Args: { p_limit?: number }
        Returns: {
          attempts: number
          body: string
          id: string
          in_doubt: boolean
          subject: string
          to_email: string
        }[]
      }
      close_register: { Args: { p_args: Json }; Returns: Json }
      course_is_published: { Args: { p_course_id: string }; Returns: boolean }
      course_link: { Args: { p_session_id: string }; Returns: string }
      course_sync_row: { Args: { p_id: string }; Returns: Json }
      delete_my_account: { Args: Record<PropertyKey, never>; Returns: Json }
      email_due: {
        Args: { p_email: Database["public"]["Tables"]["notifications"]["Row"] }
        Returns: boolean
      }
      evaluation_standing: {
        Args: { p_session_id: string; p_user_id: string }
        Returns: string
      }
      evaluation_sync_row: { Args: { p_id: string }; Returns: Json }
      expire_offers: { Args: { p_session_id?: string }; Returns: number }
      followup_sync_row: { Args: { p_id: string }; Returns: Json }
      get_register: { Args: { p_session_id: string }; Returns: Json }
      has_staff_role: {
        Args: { p_role: Database["public"]["Enums"]["staff_role"] }
        Returns: boolean
      }
      impact_anonymised_evaluations: {
        Args: { p_filters: Json; p_from: string; p_to: string }
        Returns: Json
      }
      impact_attended: {
        Args: { p_attendance: Database["public"]["Enums"]["attendance_status"] }
        Returns: boolean
      }
      impact_counts_add: {
        Args: {
          p_new: Database["public"]["Tables"]["impact_facts"]["Row"][]
          p_old: Database["public"]["Tables"]["impact_facts"]["Row"][]
        }
        Returns: undefined
      }
      impact_export: {
        Args: { p_filters?: Json; p_kind: string }
        Returns: Json
      }
      impact_min_n: { Args: Record<PropertyKey, never>; Returns: number }
      impact_people: {
        Args: { p_filters: Json; p_from: string; p_to: string }
        Returns: {
          agency_id: string
          attendance: Database["public"]["Enums"]["attendance_status"]
          attended: boolean
          booking_id: string
          booking_status: Database["public"]["Enums"]["booking_status"]
          cancellation: boolean
          capacity: number
          change_n: number
          change_sum: number
          confirmed: boolean
          course_id: string
          ends_at: string
          evaluation_id: string
          followup_applied: Database["public"]["Enums"]["followup_applied"]
          followup_barriers: boolean
          followup_id: string
          late_cancellation: boolean
          month: string
          no_show: boolean
          person: string
          sector: Database["public"]["Enums"]["sector"]
          session_id: string
          starts_at: string
          unmet: boolean
          waitlisted: boolean
          walk_in_id: string
        }[]
      }
      impact_place_flags: {
        Args: {
          p_attendance: Database["public"]["Enums"]["attendance_status"]
          p_booking_status: Database["public"]["Enums"]["booking_status"]
          p_cancelled_at: string
          p_held_place: boolean
          p_starts_at: string
          p_waitlisted: boolean
        }
        Returns: Record<string, unknown>
      }
      impact_place_of: {
        Args: { p_person: string; p_session_id: string }
        Returns: string
      }
      impact_places: {
        Args: { p_filters: Json; p_from: string; p_to: string }
        Returns: {
          agency_id: string
          attendance: Database["public"]["Enums"]["attendance_status"]
          attended: boolean
          booking_id: string
          booking_status: Database["public"]["Enums"]["booking_status"]
          cancellation: boolean
          capacity: number
          change_n: number
          change_sum: number
          confirmed: boolean
          course_id: string
          ends_at: string
          evaluation_id: string
          followup_applied: Database["public"]["Enums"]["followup_applied"]
          followup_barriers: boolean
          followup_id: string
          late_cancellation: boolean
          month: string
          no_show: boolean
          person: string
          sector: Database["public"]["Enums"]["sector"]
          session_id: string
          starts_at: string
          unmet: boolean
          waitlisted: boolean
          walk_in_id: string
        }[]
      }
      impact_reach_years: { Args: { p_filters?: Json }; Returns: Json }
      impact_report: { Args: { p_filters?: Json }; Returns: Json }
      impact_same_text: { Args: { p_text: string }; Returns: string }
      impact_scope_agency: { Args: { p_filters: Json }; Returns: string }
      insert_evaluation: {
        Args: {
          p_args: Json
          p_session: Database["public"]["Tables"]["sessions"]["Row"]
          p_user_id: string
        }
        Returns: {
          anonymised: boolean
          comments: string | null
          entered_by: string | null
          from_paper: boolean
          id: string
          overall: number
          practice_change: string
          session_id: string
          submitted_at: string
          user_id: string | null
        }
        SetofOptions: {
          from: "*"
          to: "evaluations"
          isOneToOne: true
          isSetofReturn: false
        }
      }
      learning_outcome_sync_row: { Args: { p_id: string }; Returns: Json }
      led_agency: { Args: Record<PropertyKey, never>; Returns: string }
      lock_own_booking: {
        Args: { p_booking_id: string }
        Returns: {
          booked_by: string | null
          cancelled_at: string | null
          certificate_ref: string
          confirmed_at: string | null
          created_at: string
          id: string
          offer_expires_at: string | null
          session_id: string
          status: Database["public"]["Enums"]["booking_status"]
          updated_at: string
          user_id: string
          waitlisted_at: string | null
        }
        SetofOptions: {
          from: "*"
          to: "bookings"
          isOneToOne: true
          isSetofReturn: false
        }
      }
      message_session: { Args: { p_args: Json }; Returns: Json }
      my_data: { Args: Record<PropertyKey, never>; Returns: Json }
      my_trainer_audiences: {
        Args: Record<PropertyKey, never>
        Returns: string[]
      }
      my_training_record: { Args: Record<PropertyKey, never>; Returns: Json }
      new_certificate_ref: { Args: Record<PropertyKey, never>; Returns: string }
      normalised_certificate_ref: { Args: { p_value: string }; Returns: string }
      notify: {
        Args: {
          p_body: string
          p_dedupe: string
          p_kind: string
          p_subject: string
          p_user_id: string
        }
        Returns: undefined
      }
      place_booking: {
        Args: {
          p_booked_by: string
          p_booking_id: string
          p_session_id: string
          p_user_id: string
        }
        Returns: Json
      }
      profile_sync_row: { Args: { p_id: string }; Returns: Json }
      profile_update_mutation: { Args: { p_args: Json }; Returns: Json }
      promote_waiting_list: {
        Args: { p_session_id: string }
        Returns: undefined
      }
      prune_sync_ledger: { Args: { p_now?: string }; Returns: number }
      record_attendance: { Args: { p_args: Json }; Returns: Json }
      record_email_failed: {
        Args: { p_id: string; p_reason: string }
        Returns: boolean
      }
      record_email_retry: {
        Args: { p_after_seconds: number; p_id: string; p_reason: string }
        Returns: boolean
      }
      record_email_sent: {
        Args: { p_id: string; p_notify_id: string }
        Returns: boolean
      }
      release_for_colleague: { Args: { p_booking_id: string }; Returns: Json }
      release_place: {
        Args: {
          p_booking: Database["public"]["Tables"]["bookings"]["Row"]
          p_released_by: string
        }
        Returns: Json
      }
      renewal_due_on: {
        Args: { p_completed_at: string; p_renew_years: number }
        Returns: string
      }
      request_email_delivery: {
        Args: Record<PropertyKey, never>
        Returns: string
      }
      request_evaluation: {
        Args: { p_session_id: string; p_user_id: string }
        Returns: undefined
      }
      require_admin: { Args: Record<PropertyKey, never>; Returns: string }
      require_agency_lead: { Args: Record<PropertyKey, never>; Returns: string }
      require_colleague: {
        Args: { p_user_id: string }
        Returns: {
          agency_id: string | null
          created_at: string
          email: string
          full_name: string | null
          id: string
          job_role: string | null
          updated_at: string
        }
        SetofOptions: {
          from: "*"
          to: "profiles"
          isOneToOne: true
          isSetofReturn: false
        }
      }
      require_impact_reader: {
        Args: Record<PropertyKey, never>
        Returns: undefined
      }
      require_register: {
        Args: { p_session_id: string }
        Returns: {
          booking_closes_at: string
          calendar_sequence: number
          cancelled_reason: string | null
          capacity: number
          course_id: string
          created_at: string
          ends_at: string
          id: string
          join_url: string | null
          offer_hours: number
          starts_at: string
          status: Database["public"]["Enums"]["session_status"]
          updated_at: string
          venue_address: string | null
          venue_name: string | null
          waitlist_mode: Database["public"]["Enums"]["waitlist_mode"]
        }
        SetofOptions: {
          from: "*"
          to: "sessions"
          isOneToOne: true
          isSetofReturn: false
        }
      }
      respond_to_offer: {
        Args: { p_accept: boolean; p_booking_id: string }
        Returns: Json
      }
      schedule_jobs: { Args: Record<PropertyKey, never>; Returns: string }
      self_check_in: { Args: { p_args: Json }; Returns: Json }
      send_evaluation_reminders: { Args: { p_now?: string }; Returns: number }
      send_followup_requests: { Args: { p_now?: string }; Returns: number }
      send_refresher_reminders: { Args: { p_now?: string }; Returns: number }
      send_session_reminders: { Args: { p_now?: string }; Returns: number }
      session_assignment_sync_row: { Args: { p_id: string }; Returns: Json }
      session_attenders: { Args: { p_session_id: string }; Returns: string[] }
      session_availability: {
        Args: { p_session_id: string }
        Returns: {
          taken: number
          waiting: number
        }[]
      }
      session_join_url: { Args: { p_session_id: string }; Returns: string }
      session_outcomes: {
        Args: { p_session_id: string }
        Returns: {
          course_id: string
          created_at: string
          id: string
          position: number
          retired_at: string | null
          text: string
        }[]
        SetofOptions: {
          from: "*"
          to: "learning_outcomes"
          isOneToOne: false
          isSetofReturn: true
        }
      }
      session_places: {
        Args: { p_session_id: string }
        Returns: {
          taken: number
          waiting: number
        }[]
      }
      session_results: { Args: { p_session_id: string }; Returns: Json }
      session_summary: { Args: { p_session_id: string }; Returns: string }
      session_sync_row: { Args: { p_id: string }; Returns: Json }
      staff_roles_sync_row: { Args: { p_id: string }; Returns: Json }
      staff_training_record: { Args: { p_user_id: string }; Returns: Json }
      submit_evaluation: { Args: { p_args: Json }; Returns: Json }
      submit_evaluations: { Args: { p_items: Json }; Returns: Json }
      submit_followup: { Args: { p_args: Json }; Returns: Json }
      submit_paper_evaluation: { Args: { p_args: Json }; Returns: Json }
      sync_entity_row: {
        Args: { p_entity: string; p_id: string }
        Returns: Json
      }
      sync_owed_answer: {
        Args: {
          p_args: Json
          p_device_id: string
          p_id: string
          p_name: string
          p_seq: number
          p_uid: string
        }
        Returns: Json
      }
      sync_pull: {
        Args: { p_cursor?: string; p_limit?: number }
        Returns: Json
      }
      sync_push: {
        Args: { p_device_id: string; p_mutations: Json }
        Returns: Json
      }
      sync_push_batch: {
        Args: { p_device_id: string; p_mutations: Json; p_uid: string }
        Returns: Json
      }
      teaches_session: { Args: { p_session_id: string }; Returns: boolean }
      tell_session_changed: {
        Args: {
          p_after: Database["public"]["Tables"]["sessions"]["Row"]
          p_before: Database["public"]["Tables"]["sessions"]["Row"]
        }
        Returns: number
      }
      track_change: {
        Args: { p_audiences: string[]; p_entity: string; p_entity_id: string }
        Returns: undefined
      }
      training_record_of: { Args: { p_user: string }; Returns: Json }
      uk_time: { Args: { p_at: string }; Returns: string }
      update_profile: {
        Args: { p_agency_id: string; p_full_name: string; p_job_role: string }
        Returns: Json
      }
      verify_certificate: { Args: { p_reference: string }; Returns: Json }
      waiting_list_position: { Args: { p_booking_id: string }; Returns: number }
      walk_in_attendance_status: {
        Args: { p_walk_in_id: string }
        Returns: Database["public"]["Enums"]["attendance_status"]
      }
      walk_in_person: {
        Args: { p_email: string; p_id: string }
        Returns: string
      }
      walk_in_place_sync_row: { Args: { p_id: string }; Returns: Json }
    }
    Enums: {
      attendance_source: "register" | "self_checkin" | "import" | "closure"
      attendance_status:
        | "present"
        | "late"
        | "left_early"
        | "absent"
        | "excused"
      booking_status:
        | "requested"
        | "confirmed"
        | "waitlisted"
        | "offered"
        | "cancelled"
        | "declined"
      course_format: "face_to_face" | "webinar" | "elearning" | "conference"
      course_level: "introductory" | "intermediate" | "advanced"
      course_status: "draft" | "published" | "archived"
      followup_applied: "yes" | "partly" | "no"
      notification_status: "pending" | "sending" | "sent" | "failed"
      sector:
        | "local_authority"
        | "police"
        | "health"
        | "education"
        | "probation_and_justice"
        | "fire_and_rescue"
        | "faith"
        | "voluntary"
        | "other"
      session_status: "scheduled" | "cancelled"
      staff_role: "trainer" | "agency_lead" | "admin"
      waitlist_mode: "auto" | "offer"
    }
    CompositeTypes: {
      [_ in never]: never
    }
  }
}

type DatabaseWithoutInternals = Omit<Database, "__InternalSupabase">

type DefaultSchema = DatabaseWithoutInternals[Extract<keyof Database, "public">]

export type Tables<
  DefaultSchemaTableNameOrOptions extends
    | keyof (DefaultSchema["Tables"] & DefaultSchema["Views"])
    | { schema: keyof DatabaseWithoutInternals },
  TableName extends (DefaultSchemaTableNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof (DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"] &
        DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Views"])
    : never) = never,
> = DefaultSchemaTableNameOrOptions extends {
  schema: keyof DatabaseWithoutInternals
}
  ? (DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"] &
      DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Views"])[TableName] extends {
      Row: infer R
    }
    ? R
    : never
  : DefaultSchemaTableNameOrOptions extends keyof (DefaultSchema["Tables"] &
        DefaultSchema["Views"])
    ? (DefaultSchema["Tables"] &
        DefaultSchema["Views"])[DefaultSchemaTableNameOrOptions] extends {
        Row: infer R
      }
      ? R
      : never
    : never

export type TablesInsert<
  DefaultSchemaTableNameOrOptions extends
    | keyof DefaultSchema["Tables"]
    | { schema: keyof DatabaseWithoutInternals },
  TableName extends (DefaultSchemaTableNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"]
    : never) = never,
> = DefaultSchemaTableNameOrOptions extends {
  schema: keyof DatabaseWithoutInternals
}
  ? DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"][TableName] extends {
      Insert: infer I
    }
    ? I
    : never
  : DefaultSchemaTableNameOrOptions extends keyof DefaultSchema["Tables"]
    ? DefaultSchema["Tables"][DefaultSchemaTableNameOrOptions] extends {
        Insert: infer I
      }
      ? I
      : never
    : never

export type TablesUpdate<
  DefaultSchemaTableNameOrOptions extends
    | keyof DefaultSchema["Tables"]
    | { schema: keyof DatabaseWithoutInternals },
  TableName extends (DefaultSchemaTableNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"]
    : never) = never,
> = DefaultSchemaTableNameOrOptions extends {
  schema: keyof DatabaseWithoutInternals
}
  ? DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"][TableName] extends {
      Update: infer U
    }
    ? U
    : never
  : DefaultSchemaTableNameOrOptions extends keyof DefaultSchema["Tables"]
    ? DefaultSchema["Tables"][DefaultSchemaTableNameOrOptions] extends {
        Update: infer U
      }
      ? U
      : never
    : never

export type Enums<
  DefaultSchemaEnumNameOrOptions extends
    | keyof DefaultSchema["Enums"]
    | { schema: keyof DatabaseWithoutInternals },
  EnumName extends (DefaultSchemaEnumNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[DefaultSchemaEnumNameOrOptions["schema"]]["Enums"]
    : never) = never,
> = DefaultSchemaEnumNameOrOptions extends {
  schema: keyof DatabaseWithoutInternals
}
  ? DatabaseWithoutInternals[DefaultSchemaEnumNameOrOptions["schema"]]["Enums"][EnumName]
  : DefaultSchemaEnumNameOrOptions extends keyof DefaultSchema["Enums"]
    ? DefaultSchema["Enums"][DefaultSchemaEnumNameOrOptions]
    : never

export type CompositeTypes<
  PublicCompositeTypeNameOrOptions extends
    | keyof DefaultSchema["CompositeTypes"]
    | { schema: keyof DatabaseWithoutInternals },
  CompositeTypeName extends (PublicCompositeTypeNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[PublicCompositeTypeNameOrOptions["schema"]]["CompositeTypes"]
    : never) = never,
> = PublicCompositeTypeNameOrOptions extends {
  schema: keyof DatabaseWithoutInternals
}
  ? DatabaseWithoutInternals[PublicCompositeTypeNameOrOptions["schema"]]["CompositeTypes"][CompositeTypeName]
  : PublicCompositeTypeNameOrOptions extends keyof DefaultSchema["CompositeTypes"]
    ? DefaultSchema["CompositeTypes"][PublicCompositeTypeNameOrOptions]
    : never

export const Constants = {
  public: {
    Enums: {
      attendance_source: ["register", "self_checkin", "import", "closure"],
      attendance_status: ["present", "late", "left_early", "absent", "excused"],
      booking_status: [
        "requested",
        "confirmed",
        "waitlisted",
        "offered",
        "cancelled",
        "declined",
      ],
      course_format: ["face_to_face", "webinar", "elearning", "conference"],
      course_level: ["introductory", "intermediate", "advanced"],
      course_status: ["draft", "published", "archived"],
      followup_applied: ["yes", "partly", "no"],
      notification_status: ["pending", "sending", "sent", "failed"],
      sector: [
        "local_authority",
        "police",
        "health",
        "education",
        "probation_and_justice",
        "fire_and_rescue",
        "faith",
        "voluntary",
        "other",
      ],
      session_status: ["scheduled", "cancelled"],
      staff_role: ["trainer", "agency_lead", "admin"],
      waitlist_mode: ["auto", "offer"],
    },
  },
} as const

